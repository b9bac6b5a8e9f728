namespace ScalableApi.Bench.Reporting;

/// <summary>Names bench/run uses for scenarios and systems, in the order the report lists them.</summary>
internal static class Catalogue
{
    public static IReadOnlyList<ScenarioInfo> Scenarios { get; } =
    [
        new("a", "GET /api/products/{id}, random ids", IsRead: true),
        new("b", "GET /api/products/{id} without the gateway (kestrel-json: GET /json)", IsRead: true),
        new("c", "product list pages following nextCursor", IsRead: true),
        new("d", "GET /api/users/{id}/overview", IsRead: true),
        new("e", "signed-in mixed: 90 % reads / 10 % writes", IsRead: false),
        new("f", "POST /api/auth/login (password hashing bound)", IsRead: false),
    ];

    public static IReadOnlyList<SystemInfo> Systems { get; } =
    [
        new("ours-gateway", "ours: gateway → 2 catalog replicas (+ users, content); its edge cache on, as shipped"),
        new("ours-gateway-edge-off", "ours: the same topology through a gateway with Gateway:EdgeCache:Enabled=false"),
        new("catalog-direct", "ours: one catalog replica, no gateway"),
        new("ours-gateway-catalog", "ours: a gateway → that one catalog replica (static destination, edge cache off: a hop, not a cache)"),
        new("yarp-bare-2", "bare YARP (no middleware) → the same 2 catalog replicas"),
        new("nginx-catalog", "nginx → one catalog replica"),
        new("yarp-bare-catalog", "bare YARP (no middleware) → one catalog replica"),
        new("kestrel-json", "bare Kestrel GET /json (the machine's ceiling)"),
        new("express-1", "seed design, Express, one process"),
        new("express-2-nginx", "seed design, 2 Express processes behind nginx least_conn (as the post)"),
        new("express-2-nginx-keepalive", "the same with upstream keepalive (the stronger seed layout)"),
        new("express-2-nginx-cache", "the keepalive layout with nginx proxy_cache (200s kept 30 s, cache lock): what a user would deploy instead of our edge cache"),
    ];

    public static ScenarioInfo Scenario(string id) =>
        Scenarios.FirstOrDefault(s => s.Id == id) ?? new ScenarioInfo(id, id, IsRead: false);

    public static int SystemOrder(string id)
    {
        for (var i = 0; i < Systems.Count; i++)
        {
            if (Systems[i].Id == id)
            {
                return i;
            }
        }

        return Systems.Count;
    }
}

internal sealed record ScenarioInfo(string Id, string Title, bool IsRead);

internal sealed record SystemInfo(string Id, string Title);
