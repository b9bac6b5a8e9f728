using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ScalableApi.Deploy.Tests.Support;

/// <summary>
/// YAML documents as JSON nodes, to validate them against JSON schemas and query them. Anchors, aliases and merge keys
/// (<c>&lt;&lt;: *x</c>) are resolved as docker compose resolves them; plain scalars get YAML 1.2 core types
/// (null, booleans, integers, floats), quoted ones stay strings.
/// </summary>
internal static class YamlJson
{
    private const string MergeKey = "<<";

    public static JsonNode? Parse(string yaml) => ParseAll(yaml).Single();

    public static IReadOnlyList<JsonNode?> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new Parser(new StringReader(yaml)));
        return [.. stream.Documents.Select(d => Convert(d.RootNode))];
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => Mapping(map),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType} at {node.Start}"),
    };

    // Merge keys as YAML 1.1 defines them: keys of the merged mappings (earlier ones first) unless the mapping has its own.
    private static JsonObject Mapping(YamlMappingNode map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            if (((YamlScalarNode)key).Value is { } name and not MergeKey)
            {
                result[name] = Convert(value);
            }
        }

        var merged = map.Children.Where(kv => ((YamlScalarNode)kv.Key).Value == MergeKey)
            .SelectMany(kv => kv.Value is YamlSequenceNode list ? list.Children : [kv.Value]);
        foreach (var source in merged)
        {
            foreach (var (name, value) in Mapping((YamlMappingNode)source))
            {
                if (!result.ContainsKey(name))
                {
                    result[name] = value?.DeepClone();
                }
            }
        }

        return result;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !text.Contains(':', StringComparison.Ordinal) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }
}
