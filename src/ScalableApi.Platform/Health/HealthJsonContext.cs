using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScalableApi.Platform.Health;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
