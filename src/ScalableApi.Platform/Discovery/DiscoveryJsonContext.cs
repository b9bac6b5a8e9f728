using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScalableApi.Platform.Discovery;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServiceInstance))]
internal sealed partial class DiscoveryJsonContext : JsonSerializerContext;
