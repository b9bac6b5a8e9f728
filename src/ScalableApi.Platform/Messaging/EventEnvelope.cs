using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScalableApi.Platform.Messaging;

/// <summary>An event as it travels: a unique id (the inbox key), its type name, its JSON, and the trace it belongs to.</summary>
public sealed record EventEnvelope(string Id, string Type, string Payload, string? TraceParent, long OccurredAt)
{
    public string Serialize() => JsonSerializer.Serialize(this, EnvelopeJson.Default.EventEnvelope);

    public static EventEnvelope? TryParse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, EnvelopeJson.Default.EventEnvelope) is { Id.Length: > 0, Type.Length: > 0 } envelope ? envelope : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSerializable(typeof(EventEnvelope))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class EnvelopeJson : JsonSerializerContext;
