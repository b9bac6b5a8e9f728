using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Security;

namespace ScalableApi.Gateway.Tests;

/// <summary>The gateway in-process, proxying over real loopback HTTP to the destinations it is given.</summary>
internal sealed class GatewayFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    /// <summary>Signs tokens the gateway accepts (it stands in for the users service's JWKS).</summary>
    public TestTokens Tokens { get; } = new();

    /// <summary>Catalog cluster with the given destinations and policy; passive health off unless asked for.</summary>
    public static GatewayFactory WithCatalog(string policy, params string[] addresses)
    {
        var settings = new Dictionary<string, string?> { ["ReverseProxy:Clusters:catalog:LoadBalancingPolicy"] = policy };
        for (var i = 0; i < addresses.Length; i++)
        {
            settings[$"ReverseProxy:Clusters:catalog:Destinations:d{i}:Address"] = addresses[i];
        }

        return new GatewayFactory(settings);
    }

    /// <summary>Users and content clusters for the aggregation endpoint.</summary>
    public static GatewayFactory WithUsersAndContent(string usersAddress, string contentAddress, TimeSpan? timeout = null) => new(new Dictionary<string, string?>
    {
        ["ReverseProxy:Clusters:users:Destinations:d0:Address"] = usersAddress,
        ["ReverseProxy:Clusters:content:Destinations:d0:Address"] = contentAddress,
        ["Gateway:Aggregation:Timeout"] = (timeout ?? TimeSpan.FromSeconds(5)).ToString(),
    });

    /// <summary>
    /// A gateway whose shared state is in the store at <paramref name="redis"/>, with <paramref name="settings"/> on top
    /// of these: discovery off (the test names the destinations), rate limits counted under
    /// <paramref name="keyPrefix"/> (a fresh one unless given: tests sharing a redis-server keep apart) with a store
    /// timeout a loaded CI machine does not reach (a timeout would fail open).
    /// </summary>
    public static GatewayFactory OnStore(
        string redis,
        IEnumerable<KeyValuePair<string, string?>> settings,
        string? keyPrefix = null,
        Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            ["Gateway:Discovery:Enabled"] = "false",
            ["Gateway:RateLimits:KeyPrefix"] = keyPrefix ?? "test-" + Guid.NewGuid().ToString("N"),
            ["Gateway:RateLimits:StoreTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new GatewayFactory(all, services);
    }

    /// <summary>A client of the gateway sending <c>Authorization: Bearer</c> <paramref name="token"/>.</summary>
    public HttpClient CreateClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Tokens.Dispose();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Platform:DrainDelay", "00:00:00");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(test =>
        {
            test.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, TestClientIp>();
            test.RemoveAll<ISigningKeySource>();
            test.AddSingleton<ISigningKeySource>(Tokens);
        });
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }
}
