using System.Text.Json.Nodes;
using Json.Schema;

namespace ScalableApi.Deploy.Tests.Support;

/// <summary>deploy/compose/compose.yaml as JSON (anchors and merge keys resolved), and the compose-spec schema.</summary>
internal static class ComposeFile
{
    public const string Path = "deploy/compose/compose.yaml";

    // The npm copy names its meta-schema by draft 2019-09's old http URI and still carries draft-04 "id"s, which
    // 2019-09 does not know and this validator refuses: both are adjusted in memory (the "id"s only named subschemas).
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        var schema = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Schemas", "compose-spec.json")))!;
        schema["$schema"] = "https://json-schema.org/draft/2019-09/schema";
        RemoveIds(schema);
        return JsonSchema.FromText(schema.ToJsonString());
    });

    // Compose's "duration" is Go's (10s, 1m30s), not ISO 8601's (PT10S), which the validator would assert.
    private static readonly Lazy<FormatRegistry> Formats = new(() =>
    {
        var registry = new FormatRegistry();
        registry.Register(new RegexFormat("duration", @"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$"));
        return registry;
    });

    public static JsonObject Load() => (JsonObject)YamlJson.Parse(Repository.Read(Path))!;

    public static JsonObject Services(JsonObject compose) => compose["services"]!.AsObject();

    /// <summary>Our processes: services built from deploy/docker.</summary>
    public static IEnumerable<(string Name, JsonObject Service)> ProductServices(JsonObject compose) =>
        Services(compose).Where(s => s.Value!["build"] is not null).Select(s => (s.Key, s.Value!.AsObject()));

    /// <summary>The compose-spec schema's verdict, with every failing location and message.</summary>
    public static (bool Valid, IReadOnlyList<string> Errors) Validate(JsonNode document)
    {
        using var json = JsonDocument.Parse(document.ToJsonString());
        var result = Schema.Value.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, FormatRegistry = Formats.Value });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
        return (result.IsValid, errors);
    }

    private static void RemoveIds(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String)
                {
                    obj.Remove("id");
                }

                foreach (var (_, child) in obj)
                {
                    RemoveIds(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    RemoveIds(child);
                }

                break;
        }
    }
}
