using System.Text.Json;
using System.Text.Json.Serialization;
using ScalableApi.Platform.Discovery;
using ScalableApi.Platform.Health;

namespace ScalableApi.Platform;

/// <summary>
/// The platform's own JSON with web defaults, source-generated (no reflection at run time): discovery entries in the
/// store and the health report. Events keep their own context (<c>EnvelopeJson</c>): their wire format is camelCase
/// without the web defaults' lenient reads.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServiceInstance))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class PlatformJsonContext : JsonSerializerContext;
