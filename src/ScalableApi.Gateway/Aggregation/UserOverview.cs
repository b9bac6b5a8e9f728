using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScalableApi.Gateway.Aggregation;

/// <summary>
/// <c>GET /api/users/{id}/overview</c>: the public user with their latest posts and comments. Parts a service
/// could not provide are listed in <see cref="Degraded"/> (and are empty) instead of failing the whole page.
/// </summary>
public sealed record UserOverview(
    JsonElement User,
    JsonElement Posts,
    JsonElement Comments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Degraded);
