// Not ScalableApi.*.Tests.Options: a namespace of that name would hide Microsoft.Extensions.Options.Options.
namespace ScalableApi.Gateway.Tests;

/// <summary>
/// Every options class of the gateway is checked when the host starts: a bad value stops the gateway with a message
/// naming the configuration key, instead of being clamped or ignored. One theory per options class, a row per value.
/// </summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Gateway:TrustedProxies:0", "not-an-address")]
    [InlineData("Gateway:TrustedProxies:0", "10.0.0.0/33")]
    [InlineData("Gateway:TrustedProxies:0", "")]
    public Task GatewayOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Fact]
    public async Task GatewayOptions_name_the_bad_entry_of_a_list()
    {
        var message = await StartupMessageAsync(new()
        {
            ["Gateway:TrustedProxies:0"] = "10.0.0.0/8",
            ["Gateway:TrustedProxies:1"] = "192.0.2.1",
            ["Gateway:TrustedProxies:2"] = "proxy.example",
        });

        Assert.Contains("Gateway:TrustedProxies:2", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway:TrustedProxies:0", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway:TrustedProxies:1", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway:Discovery:ReconcileInterval", "00:00:00")]
    [InlineData("Gateway:Discovery:ReconcileInterval", "-00:00:01")]
    [InlineData("Gateway:Discovery:ReconcileInterval", "2.00:00:00")]
    [InlineData("Gateway:Discovery:Enabled", "maybe")]
    public Task GatewayDiscoveryOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Gateway:PassiveHealth:ConsecutiveFailures", "0")]
    [InlineData("Gateway:PassiveHealth:ConsecutiveFailures", "-3")]
    [InlineData("Gateway:PassiveHealth:DefaultReactivationPeriod", "00:00:00")]
    [InlineData("Gateway:PassiveHealth:TransportFailureRate:DetectionWindowSize", "00:00:00")]
    [InlineData("Gateway:PassiveHealth:TransportFailureRate:MinimalTotalCountThreshold", "-1")]
    [InlineData("Gateway:PassiveHealth:TransportFailureRate:DefaultFailureRateLimit", "0")]
    [InlineData("Gateway:PassiveHealth:TransportFailureRate:DefaultFailureRateLimit", "1.5")]
    [InlineData("ReverseProxy:Clusters:catalog:Metadata:ConsecutiveTransportFailuresHealthPolicy.Threshold", "0")]
    [InlineData("ReverseProxy:Clusters:catalog:Metadata:ConsecutiveTransportFailuresHealthPolicy.Threshold", "three")]
    public Task PassiveHealthOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Gateway:Aggregation:Timeout", "00:00:00")]
    [InlineData("Gateway:Aggregation:Timeout", "-00:00:02")]
    [InlineData("Gateway:Aggregation:Latest", "0")]
    [InlineData("Gateway:Aggregation:Latest", "101")]
    public Task AggregationOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Gateway:RateLimits:Window", "00:00:00")]
    [InlineData("Gateway:RateLimits:AnonymousPerIp", "0")]
    [InlineData("Gateway:RateLimits:AnonymousPerIp", "-600")]
    [InlineData("Gateway:RateLimits:AnonymousPerIp", "lots")]
    [InlineData("Gateway:RateLimits:SignedInPerUser", "0")]
    [InlineData("Gateway:RateLimits:FailedLoginsPerIp", "0")]
    [InlineData("Gateway:RateLimits:FailedLoginsPerEmail", "0")]
    [InlineData("Gateway:RateLimits:RegistrationsPerIp", "0")]
    [InlineData("Gateway:RateLimits:StoreTimeout", "00:00:00")]
    [InlineData("Gateway:RateLimits:MaxLease", "0")]
    [InlineData("Gateway:RateLimits:KeyPrefix", "")]
    public Task RateLimitOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Gateway:ApiReference:CacheDuration", "-00:00:01")]
    [InlineData("Gateway:ApiReference:CacheDuration", "02:00:00")]
    [InlineData("Gateway:ApiReference:FetchTimeout", "00:00:00")]
    [InlineData("Gateway:ApiReference:FetchTimeout", "00:05:00")]
    public Task ApiReferenceOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Gateway:ConsistencyTokens:Enabled", "maybe")]
    [InlineData("Gateway:ConsistencyTokens:WindowSeconds", "0")]
    [InlineData("Gateway:ConsistencyTokens:WindowSeconds", "3601")]
    [InlineData("Gateway:ConsistencyTokens:StoreTimeoutMilliseconds", "0")]
    public Task ConsistencyTokenOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Gateway:Dashboard:SessionLifetime", "00:00:30")]
    [InlineData("Gateway:Dashboard:Interval", "00:00:00")]
    [InlineData("Gateway:Dashboard:ServiceMetricsPort", "70000")]
    [InlineData("Gateway:Dashboard:ScrapeInterval", "00:00:00")]
    [InlineData("Gateway:Dashboard:ScrapeTimeout", "00:01:00")]
    [InlineData("Gateway:Dashboard:MaxMetricsBytes", "1024")]
    public Task DashboardOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Gateway:EdgeCache:Enabled", "maybe")]
    [InlineData("Gateway:EdgeCache:SizeLimitBytes", "1000")]
    [InlineData("Gateway:EdgeCache:MaxEntryBytes", "0")]
    [InlineData("Gateway:EdgeCache:MaxTtl", "00:00:00")]
    [InlineData("Gateway:EdgeCache:StaleIfError", "-00:00:01")]
    [InlineData("Gateway:EdgeCache:MaxAgeWhilePurgeChannelDown", "00:02:00")]
    [InlineData("Gateway:EdgeCache:NoFillAfterPurge", "00:02:00")]
    [InlineData("Gateway:EdgeCache:PurgeChannel", "")]
    public Task EdgeCacheOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    /// <summary>YARP's own check, kept: a policy name no policy answers to stops the gateway, naming it and the cluster.</summary>
    [Theory]
    [InlineData("ReverseProxy:Clusters:catalog:LoadBalancingPolicy", "Fastest")]
    [InlineData("ReverseProxy:Clusters:catalog:HealthCheck:Passive:Policy", "Gentle")]
    public async Task Unknown_policy_names_refuse(string key, string value)
    {
        var message = await StartupMessageAsync(new() { [key] = value });

        Assert.Contains($"'{value}'", message, StringComparison.Ordinal);
        Assert.Contains("'catalog'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_at_the_edges_of_their_ranges_start()
    {
        await using var gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Gateway:TrustedProxies:0"] = "2001:db8::/32",
            ["Gateway:RateLimits:MaxLease"] = "1",
            ["Gateway:RateLimits:AnonymousPerIp"] = "1",
            ["Gateway:Aggregation:Latest"] = "100",
            ["Gateway:PassiveHealth:TransportFailureRate:DefaultFailureRateLimit"] = "1",
            ["ReverseProxy:Clusters:catalog:Metadata:ConsecutiveTransportFailuresHealthPolicy.Threshold"] = "1",
        });
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal(global::System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private static Task AssertRefusedAsync(string key, string value) =>
        StartupFailure.AssertNamesKeyAsync(settings => new GatewayFactory(settings), key, value);

    private static Task<string> StartupMessageAsync(Dictionary<string, string?> settings) =>
        StartupFailure.MessageAsync(() => new GatewayFactory(settings));
}
