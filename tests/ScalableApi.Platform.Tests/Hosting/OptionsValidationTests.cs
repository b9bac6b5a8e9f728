using ScalableApi.Platform.Idempotency;
using ScalableApi.Platform.Jobs;
using ScalableApi.Platform.Messaging;

namespace ScalableApi.Platform.Tests.Hosting;

/// <summary>
/// Every options class the platform binds is checked when the service starts: a bad value stops the process with a
/// message naming the configuration key and its environment form, instead of being clamped or failing later on the
/// first request that needs it. One theory per options class, a row per rule.
/// </summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Platform:MaxRequestBodyBytes", "0")]
    [InlineData("Platform:MaxRequestBodyBytes", "-1")]
    [InlineData("Platform:DrainDelay", "-00:00:01")]
    [InlineData("Platform:DrainDelay", "01:00:00")]
    [InlineData("Platform:DataDirectory", "")]
    public Task PlatformOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Platform:Overload:MaxConcurrentRequests", "-1")]
    [InlineData("Platform:Overload:QueueLimit", "-5")]
    [InlineData("Platform:Overload:QueueTimeout", "00:00:00")]
    [InlineData("Platform:Overload:Enabled", "sometimes")]
    public Task OverloadOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Platform:ResponseBuffering:MaxBufferedBytes", "-1")]
    [InlineData("Platform:ResponseBuffering:MaxBufferedBytes", "100000000")]
    public Task ResponseBufferingOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Database:Provider", "mysql")]
    [InlineData("Database:MaxPoolSize", "0")]
    [InlineData("Database:MinPoolSize", "-1")]
    [InlineData("Database:ConnectionTimeoutSeconds", "0")]
    [InlineData("Database:CommandTimeoutSeconds", "0")]
    [InlineData("Database:BusyTimeoutMilliseconds", "-1")]
    [InlineData("Database:ConnectionIdleLifetimeSeconds", "9")]
    [InlineData("Database:ConnectionLifetimeSeconds", "-1")]
    public Task DatabaseOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Fact]
    public async Task DatabaseOptions_refuse_a_minimum_pool_above_the_maximum()
    {
        var message = await StartupMessageAsync(new() { ["Database:MaxPoolSize"] = "5", ["Database:MinPoolSize"] = "6" });

        Assert.Contains("Database:MinPoolSize", message, StringComparison.Ordinal);
        Assert.Contains("Database__MinPoolSize", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Caching:Duration", "00:00:00")]
    [InlineData("Caching:JitterMaxDuration", "-00:00:01")]
    [InlineData("Caching:FailSafeMaxDuration", "00:00:00")]
    [InlineData("Caching:FactorySoftTimeout", "00:00:00")]
    [InlineData("Caching:DistributedLockTimeout", "-00:00:01")]
    [InlineData("Caching:DistributedCacheSoftTimeout", "00:00:00")]
    [InlineData("Caching:DistributedCacheHardTimeout", "00:00:00")]
    [InlineData("Caching:DistributedCacheCircuitBreakerDuration", "-00:00:01")]
    [InlineData("Caching:FillFromPrimaryAfterWrite", "-00:00:01")]
    [InlineData("Caching:BackplaneCircuitBreakerDuration", "02:00:00")]
    [InlineData("Caching:FailSafe", "perhaps")]
    [InlineData("Caching:EdgePurgeChannel", "")]
    public Task CachingOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Auth:Issuer", "")]
    [InlineData("Auth:Audience", "")]
    [InlineData("Auth:JwksUrl", "users-service/.well-known/jwks.json")]
    [InlineData("Auth:JwksRefreshMinInterval", "-00:00:01")]
    [InlineData("Auth:JwksCacheDuration", "00:00:00")]
    [InlineData("Auth:ClockSkew", "01:00:00")]
    public Task AuthOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Auth:Revocation:MarkerLifetime", "00:00:00")]
    public Task RevocationOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Theory]
    [InlineData("Discovery:Weight", "0")]
    [InlineData("Discovery:HeartbeatInterval", "00:00:00")]
    [InlineData("Discovery:Ttl", "00:00:00")]
    public Task DiscoveryOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Fact]
    public async Task DiscoveryOptions_refuse_a_lifetime_no_longer_than_the_heartbeat()
    {
        var message = await StartupMessageAsync(new() { ["Discovery:HeartbeatInterval"] = "00:00:10", ["Discovery:Ttl"] = "00:00:10" });

        Assert.Contains("Discovery:Ttl", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cors:AllowedOrigins:0", "app.example.com")]
    [InlineData("Cors:AllowedOrigins:0", "https://app.example.com/path")]
    [InlineData("Cors:MaxAge", "-00:00:01")]
    [InlineData("Cors:MaxAge", "2.00:00:00")]
    public Task CorsOptions_refuse(string key, string value) => AssertRefusedAsync(key, value);

    [Fact]
    public async Task CorsOptions_refuse_credentials_with_any_origin_and_name_the_bad_entry_of_a_list()
    {
        var credentials = await StartupMessageAsync(new() { ["Cors:AllowedOrigins:0"] = "*", ["Cors:AllowCredentials"] = "true" });
        var entry = await StartupMessageAsync(new() { ["Cors:AllowedOrigins:0"] = "https://app.example.com", ["Cors:AllowedOrigins:1"] = "ftp://files.example.com" });

        Assert.Contains("Cors:AllowCredentials", credentials, StringComparison.Ordinal);
        Assert.Contains("Cors:AllowedOrigins:1", entry, StringComparison.Ordinal);
        Assert.DoesNotContain("Cors:AllowedOrigins:0", entry, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Idempotency:Retention", "00:00:00")]
    [InlineData("Idempotency:InFlightTimeout", "00:00:00.100")]
    [InlineData("Idempotency:SweepInterval", "00:00:00")]
    [InlineData("Idempotency:SweepBatchSize", "0")]
    public Task IdempotencyOptions_refuse(string key, string value) => AssertRefusedAsync(key, value, static builder => builder.AddIdempotency());

    [Theory]
    [InlineData("Jobs:MaxConcurrency", "0")]
    [InlineData("Jobs:PollInterval", "00:00:00")]
    [InlineData("Jobs:LeaseDuration", "00:00:00")]
    [InlineData("Jobs:HeartbeatInterval", "00:00:00")]
    [InlineData("Jobs:DraftTimeout", "00:00:01")]
    [InlineData("Jobs:MaxAttempts", "0")]
    [InlineData("Jobs:RetryBaseDelay", "-00:00:01")]
    [InlineData("Jobs:RetryMaxDelay", "2.00:00:00")]
    [InlineData("Jobs:WorkerEnabled", "sometimes")]
    public Task JobsOptions_refuse(string key, string value) => AssertRefusedAsync(key, value, static builder => builder.AddJobs());

    [Theory]
    [InlineData("Jobs:LeaseDuration", "00:00:05", "Jobs:HeartbeatInterval")]
    [InlineData("Jobs:RetryMaxDelay", "00:00:01", "Jobs:RetryBaseDelay")]
    public async Task JobsOptions_refuse_a_heartbeat_no_shorter_than_the_lease_and_a_first_retry_above_the_cap(string key, string value, string named)
    {
        var message = await StartupMessageAsync(new() { [key] = value }, static builder => builder.AddJobs());

        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Messaging:RelayInterval", "00:00:00")]
    [InlineData("Messaging:RelayBatchSize", "0")]
    [InlineData("Messaging:PollInterval", "00:02:00")]
    [InlineData("Messaging:ConsumerTtl", "00:00:00")]
    [InlineData("Messaging:ReaperInterval", "00:00:00")]
    [InlineData("Messaging:MaxAttempts", "101")]
    [InlineData("Messaging:RetryBaseDelay", "00:02:00")]
    public Task MessagingOptions_refuse(string key, string value) => AssertRefusedAsync(key, value, static builder => builder.AddOutbox(new Dictionary<string, string[]>()));

    /// <summary>The outbox and each event handler ask for the section; it is bound and checked once, so a bad value is named once.</summary>
    [Fact]
    public async Task MessagingOptions_shared_by_the_outbox_and_a_handler_report_a_bad_value_once()
    {
        var message = await StartupMessageAsync(new() { ["Messaging:RelayBatchSize"] = "0" }, static builder => builder
            .AddOutbox(new Dictionary<string, string[]>())
            .AddEventHandler<ProbeEvent, ProbeEventHandler>());

        Assert.Single(Regex.Matches(message, Regex.Escape("Messaging:RelayBatchSize = '0'")));
    }

    [Fact]
    public async Task Values_at_the_edges_of_their_ranges_start()
    {
        await using var app = await ProbeApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Platform:MaxRequestBodyBytes"] = "1",
            ["Platform:Overload:QueueLimit"] = "0",
            ["Platform:ResponseBuffering:MaxBufferedBytes"] = "0",
            ["Database:MaxPoolSize"] = "1",
            ["Database:MinPoolSize"] = "1",
            ["Database:ConnectionIdleLifetimeSeconds"] = "10",
            ["Database:ConnectionLifetimeSeconds"] = "0",
            ["Database:Provider"] = "SQLite",
            ["Caching:JitterMaxDuration"] = "00:00:00",
            ["Auth:ClockSkew"] = "00:00:00",
            ["Discovery:HeartbeatInterval"] = "00:00:01",
            ["Discovery:Ttl"] = "00:00:02",
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(global::System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private static Task AssertRefusedAsync(string key, string value, Action<WebApplicationBuilder>? steps = null) =>
        StartupFailure.AssertNamesKeyAsync(settings => ProbeApp.StartAsync(settings: settings, steps: steps), key, value);

    private static Task<string> StartupMessageAsync(Dictionary<string, string?> settings, Action<WebApplicationBuilder>? steps = null) =>
        StartupFailure.MessageAsync(() => ProbeApp.StartAsync(settings: settings, steps: steps));

    private sealed record ProbeEvent;

    private sealed class ProbeEventHandler : IEventHandler<ProbeEvent>
    {
        public Task HandleAsync(ProbeEvent @event, EventContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
