using System.Net.Sockets;
using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests.Owasp;

/// <summary>
/// OWASP API Security Top 10 (2023), API7:2023 Server Side Request Forgery: no route fetches a URL its caller
/// chose. The gateway's document of every route has no parameter or body property that takes a URL; the
/// gateway proxies only to its configured clusters whatever the request line, <c>Host</c> or
/// <c>X-Forwarded-Host</c> says; and what it answers (a <c>Location</c>) is never built from those headers. The
/// one URL a process fetches, the JWKS, comes from configuration (<c>Auth:JwksUrl</c>) and is checked as API10.
/// </summary>
public sealed class Api7ServerSideRequestForgeryTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    private static readonly Regex UrlLike = new("(url|uri|href|link|callback|webhook|redirect|endpoint|host)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task No_route_takes_a_url_in_a_parameter_or_a_body_property()
    {
        using var response = await Client.GetAsync("/openapi/gateway.json");
        await response.ExpectAsync(HttpStatusCode.OK);
        var document = await response.JsonAsync();

        var names = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object))
            {
                if (operation.Value.TryGetProperty("parameters", out var parameters))
                {
                    names.AddRange(parameters.EnumerateArray().Select(p => $"{path.Name} {operation.Name} ?{p.GetProperty("name").GetString()}"));
                }
            }
        }

        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            if (schema.Value.TryGetProperty("properties", out var properties))
            {
                names.AddRange(properties.EnumerateObject().Select(p => $"{schema.Name}.{p.Name}"));
            }

            foreach (var format in schema.Value.EnumerateObject().Where(p => p.Name == "format"))
            {
                Assert.NotEqual("uri", format.Value.GetString());
            }
        }

        Assert.NotEmpty(names);
        Assert.DoesNotContain(names, n => UrlLike.IsMatch(n[(n.LastIndexOfAny(['?', '.']) + 1)..]));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://127.0.0.1:6379/")]
    public async Task An_absolute_request_target_or_a_foreign_host_is_not_fetched(string target)
    {
        // Absolute-form request target (RFC 9112 §3.2.2), as a forward proxy would take it: sent raw, since an
        // HttpClient would connect to the target itself.
        var answer = await RawRequestAsync($"GET {target} HTTP/1.1\r\nHost: {new Uri(target).Authority}\r\nConnection: close\r\n\r\n");
        var status = int.Parse(answer.Split(' ', 3)[1], CultureInfo.InvariantCulture);
        Assert.True(status is >= 400 and < 500, $"{target}: {answer.Split('\n')[0]}");
        Assert.DoesNotContain("ami-id", answer, StringComparison.Ordinal);

        using var foreignHost = await Client.SendAsync(HttpMethod.Get, "/api/products?limit=1", headers: h =>
        {
            h.Host = new Uri(target).Authority;
            h.Add("X-Forwarded-Host", new Uri(target).Authority);
        });
        Assert.True((int)foreignHost.StatusCode < 500, $"Host {target}: {(int)foreignHost.StatusCode}");
    }

    private async Task<string> RawRequestAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Topology.GatewayAddress.Host, Topology.GatewayAddress.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await reader.ReadToEndAsync(timeout.Token);
    }

    [Fact]
    public async Task A_location_is_built_from_the_route_never_from_forwarded_host_headers()
    {
        using var created = await Client.SendAsync(HttpMethod.Post, "/api/auth/register", body: new { email = UniqueEmail("ssrf"), name = "Host", password = Password }, headers: h =>
        {
            h.Add("X-Forwarded-Host", "evil.example");
            h.Add("X-Forwarded-Proto", "https");
        });
        await created.ExpectAsync(HttpStatusCode.Created);
        Assert.False(created.Headers.Location!.IsAbsoluteUri && created.Headers.Location.Host == "evil.example", $"Location: {created.Headers.Location}");
        Assert.StartsWith("/api/users/", created.Headers.Location.OriginalString, StringComparison.Ordinal);
    }
}
