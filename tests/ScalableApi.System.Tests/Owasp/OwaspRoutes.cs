namespace ScalableApi.System.Tests.Owasp;

/// <summary>
/// The gateway's routes grouped by the rule an OWASP item checks on them, with <c>{id}</c> standing for an object
/// the test makes. One list per concern, so every class asserts its rule on every route it concerns.
/// </summary>
public static class OwaspRoutes
{
    /// <summary>Routes only an admin may call: anonymous 401, a user 403 (SPEC §2; the dashboard's own too).</summary>
    public static readonly (string Method, string Path)[] AdminOnly =
    [
        ("GET", "/api/users?limit=5"),
        ("POST", "/api/products"),
        ("PUT", "/api/products/{product}"),
        ("DELETE", "/api/products/{product}"),
        ("POST", "/api/products/import"),
        ("GET", "/api/jobs?limit=5"),
        ("GET", "/api/jobs/{job}"),
        ("POST", "/api/jobs/{job}/retry"),
        ("POST", "/dashboard/session"),
    ];

    /// <summary>Routes for anyone signed in: anonymous and forged tokens get 401.</summary>
    public static readonly (string Method, string Path)[] SignedIn =
    [
        ("GET", "/api/profile"),
        ("PATCH", "/api/users/{user}"),
        ("DELETE", "/api/users/{user}"),
        ("POST", "/api/posts"),
        ("DELETE", "/api/posts/{post}"),
        ("POST", "/api/posts/{post}/comments"),
    ];

    /// <summary>Routes taking a JSON body (the 1 MiB limit, nesting depth, malformed JSON).</summary>
    public static readonly (string Method, string Path)[] JsonWrites =
    [
        ("POST", "/api/auth/register"),
        ("POST", "/api/auth/login"),
        ("POST", "/api/auth/refresh"),
        ("PATCH", "/api/users/{user}"),
        ("POST", "/api/products"),
        ("PUT", "/api/products/{product}"),
        ("POST", "/api/posts"),
        ("POST", "/api/posts/{post}/comments"),
    ];

    /// <summary>Paged routes (limit 1–100).</summary>
    public static readonly string[] Paged =
    [
        "/api/users",
        "/api/products",
        "/api/jobs",
        "/api/posts/{post}/comments",
        "/api/users/{user}/posts",
        "/api/users/{user}/comments",
    ];

    /// <summary>Public reads, anonymous, one per service and the gateway's own.</summary>
    public static readonly string[] PublicReads =
    [
        "/api/users/{user}",
        "/api/products",
        "/api/products/{product}",
        "/api/products/export",
        "/api/posts/{post}",
        "/api/posts/{post}/comments",
        "/api/users/{user}/posts",
        "/api/users/{user}/comments",
        "/api/users/{user}/overview",
        "/.well-known/jwks.json",
        "/openapi/gateway.json",
    ];
}
