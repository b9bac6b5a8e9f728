using ScalableApi.Topology;

namespace ScalableApi.AppHost.Tests;

/// <summary>
/// The topology contract: what each process is told. The AppHost, the system tests and bench/run all take it from
/// <see cref="TopologyEnvironment"/>, so these rows are what every one of them runs.
/// </summary>
public sealed class TopologyEnvironmentTests
{
    private static readonly TopologySettings Local = new()
    {
        Gateway = new Uri("http://127.0.0.1:8080"),
        DataDirectory = "/srv/scalableapi",
        Redis = "127.0.0.1:6379",
    };

    [Theory]
    [InlineData(TopologyServices.Users)]
    [InlineData(TopologyServices.Catalog)]
    [InlineData(TopologyServices.Content)]
    public void Every_service_registers_itself_fetches_keys_through_the_gateway_and_keeps_its_own_SQLite_file(string service)
    {
        var environment = TopologyEnvironment.For(Local, service);

        Assert.Equal("true", environment["Discovery__Enabled"]);
        Assert.Equal("http://127.0.0.1:8080/.well-known/jwks.json", environment["Auth__JwksUrl"]);
        Assert.Equal("127.0.0.1:6379", environment["ConnectionStrings__redis"]);
        Assert.Equal("sqlite", environment["Database__Provider"]);
        Assert.Equal($"Data Source={Path.Combine("/srv/scalableapi", service + ".db")}", environment["Database__ConnectionString"]);
        Assert.Equal("00:00:01", environment["Platform__DrainDelay"]);
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("Gateway__", StringComparison.Ordinal));
    }

    [Fact]
    public void On_PostgreSQL_each_service_gets_its_own_database_on_the_one_server_with_the_server_settings_kept()
    {
        var settings = Local with { Postgres = "Host=db1:5432,db2:5433;Username=app;Password=s3cret;Load Balance Hosts=true" };

        var catalog = TopologyEnvironment.For(settings, TopologyServices.Catalog);
        var users = TopologyEnvironment.For(settings, TopologyServices.Users);

        Assert.Equal("postgres", catalog["Database__Provider"]);
        Assert.Contains("Database=scalableapi_catalog", catalog["Database__ConnectionString"], StringComparison.Ordinal);
        Assert.Contains("Database=scalableapi_users", users["Database__ConnectionString"], StringComparison.Ordinal);
        Assert.Contains("Host=db1:5432,db2:5433", catalog["Database__ConnectionString"], StringComparison.Ordinal);
        Assert.Contains("Password=s3cret", catalog["Database__ConnectionString"], StringComparison.Ordinal);
        Assert.Contains("Load Balance Hosts=True", catalog["Database__ConnectionString"], StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", settings.DescribeStorage(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_gateway_has_no_database_and_registers_nothing()
    {
        var gateway = TopologyEnvironment.For(Local, TopologyServices.Gateway);

        Assert.DoesNotContain("Database__ConnectionString", gateway.Keys);
        Assert.DoesNotContain("Discovery__Enabled", gateway.Keys);
        Assert.Equal("http://127.0.0.1:8080/.well-known/jwks.json", gateway["Auth__JwksUrl"]);
    }

    [Fact]
    public void Raised_rate_limits_reach_the_gateway_only_when_asked_for()
    {
        var normal = TopologyEnvironment.For(Local, TopologyServices.Gateway);
        var raised = TopologyEnvironment.For(Local with { RaisedRateLimits = true }, TopologyServices.Gateway);

        Assert.DoesNotContain(normal.Keys, key => key.StartsWith("Gateway__RateLimits__", StringComparison.Ordinal));
        Assert.Equal(TopologyEnvironment.RaisedLimit, raised["Gateway__RateLimits__AnonymousPerIp"]);
        Assert.Equal(TopologyEnvironment.RaisedLimit, raised["Gateway__RateLimits__FailedLoginsPerIp"]);
        Assert.DoesNotContain("Gateway__RateLimits__FailedLoginsPerEmail", raised.Keys);
    }

    [Fact]
    public void Without_a_store_no_connection_string_is_given_and_the_launcher_keeps_its_environment()
    {
        var environment = TopologyEnvironment.For(Local with { Redis = null }, TopologyServices.Content);

        Assert.DoesNotContain("ConnectionStrings__redis", environment.Keys);
        Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT", environment.Keys);
    }

    [Fact]
    public void An_unknown_process_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => TopologyEnvironment.For(Local, "billing"));

        Assert.Contains("billing", error.Message, StringComparison.Ordinal);
    }
}
