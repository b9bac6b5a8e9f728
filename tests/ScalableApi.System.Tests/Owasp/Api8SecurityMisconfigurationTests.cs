using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests.Owasp;

/// <summary>
/// OWASP API Security Top 10 (2023), API8:2023 Security Misconfiguration: through the gateway, every answer (public
/// reads of every service, the gateway's own routes, and errors of every kind) carries the security headers
/// (nosniff, frame deny, no referrer, a CSP; no <c>Server</c> or <c>X-Powered-By</c>), no CORS header for any
/// origin (none are configured by default), and an error is problem+json without a stack trace, exception type or
/// path. Covered elsewhere: CORS for configured origins (<c>CorsTests</c>, gateway), HSTS on HTTPS only
/// (<c>HttpsTests</c>, <c>ForwardedProtoTests</c>), a 500 without exception text in any environment
/// (<c>ProblemDetailsTests</c>), options refused at start-up (<c>OptionsValidationTests</c>), <c>/metrics</c> without
/// exception types and only for operators (<c>MetricsContentTests</c>, <c>MetricsAccessTests</c>).
/// </summary>
public sealed class Api8SecurityMisconfigurationTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    private static readonly string[] Leaks = ["   at ", "Exception", "System.", "Microsoft.", "/work/", "/src/", ".cs:line", "SQLite", "Npgsql", "StackTrace"];

    [Fact]
    public async Task Every_answer_carries_the_security_headers_and_no_cors_headers()
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        var paths = OwaspRoutes.PublicReads.Select(objects.Fill)
            .Concat(["/health/ready", "/dashboard", "/docs", "/api/nope", "/api/products/abc", "/api/products/987654321987"]);
        foreach (var path in paths)
        {
            using var response = await Client.SendAsync(HttpMethod.Get, path, headers: h => h.Add("Origin", "https://evil.example"));
            var what = $"GET {path} ({(int)response.StatusCode})";
            Assert.True((int)response.StatusCode < 500, what);
            Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", $"{what}: X-Content-Type-Options {Header(response, "X-Content-Type-Options")}");
            Assert.True(Header(response, "X-Frame-Options") == "DENY", $"{what}: X-Frame-Options {Header(response, "X-Frame-Options")}");
            Assert.True(Header(response, "Referrer-Policy") == "no-referrer", $"{what}: Referrer-Policy {Header(response, "Referrer-Policy")}");
            var csp = Header(response, "Content-Security-Policy") ?? "";
            Assert.True(csp.Contains("frame-ancestors 'none'", StringComparison.Ordinal), $"{what}: CSP {csp}");
            Assert.False(response.Headers.Contains("Server"), $"{what}: Server {Header(response, "Server")}");
            Assert.False(response.Headers.Contains("X-Powered-By"), what);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), $"{what}: CORS without configured origins");
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), $"{what}: HSTS on plain http");
        }
    }

    [Fact]
    public async Task A_preflight_from_any_origin_gets_no_cors_permission()
    {
        using var preflight = await Client.SendAsync(HttpMethod.Options, "/api/products", headers: h =>
        {
            h.Add("Origin", "https://evil.example");
            h.Add("Access-Control-Request-Method", "DELETE");
            h.Add("Access-Control-Request-Headers", "authorization");
        });
        Assert.True((int)preflight.StatusCode < 500, $"preflight: {(int)preflight.StatusCode}");
        Assert.DoesNotContain(preflight.Headers, h => h.Key.StartsWith("Access-Control-Allow-", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("TRACE", "/api/products")]
    [InlineData("PATCH", "/api/products")]
    [InlineData("GET", "/api/users/not-a-number")]
    [InlineData("GET", "/api/products?limit=abc")]
    [InlineData("POST", "/api/auth/login")]
    [InlineData("GET", "/api/../../etc/passwd")]
    [InlineData("GET", "/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("GET", "/internal/health")]
    public async Task An_error_is_problem_json_with_no_stack_trace_type_or_path(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH")
        {
            request.Content = new StringContent("{\"email\": [1,2,{", Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {path}: {(int)response.StatusCode}");
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        foreach (var leak in Leaks)
        {
            Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
        }

        Assert.True((await response.JsonAsync()).TryGetProperty("traceId", out _), body);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
