using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Security;

namespace ScalableApi.Testing;

/// <summary>
/// One service under test, in-process, on a real database of the chosen engine, validating tokens from
/// <see cref="Tokens"/>. Use as a class fixture through an engine-specific subclass
/// (<c>class SqliteCatalog : ServiceFactory&lt;Program&gt; { ctor : base(DatabaseEngine.Sqlite) }</c>).
/// </summary>
public class ServiceFactory<TProgram>(DatabaseEngine engine) : WebApplicationFactory<TProgram>, IAsyncLifetime
    where TProgram : class
{
    private readonly List<object> _owned = [];
    private TestDatabase? _database;

    public DatabaseEngine Engine { get; } = engine;

    public TestTokens Tokens { get; } = new();

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Fixture not initialised.");

    /// <summary>Extra configuration a subclass sets before the host starts (key → value, <c>Section:Key</c> form).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    /// <summary>Replaces or adds services (a fake clock, a counting decorator) after the service's own registrations.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>False for the users service, which validates with its own keys.</summary>
    protected virtual bool UseTestTokens => true;

    public async Task InitializeAsync()
    {
        if (Engine == DatabaseEngine.Postgres && !TestDatabase.PostgresAvailable)
        {
            // The tests themselves call TestDatabase.SkipUnlessPostgres(); nothing to start here.
            return;
        }

        _database = await TestDatabase.CreateAsync(Engine);
        _ = Server; // Start the host now: migrations run once, before the first test.
    }

    /// <summary>
    /// A server, store or proxy the fixture started for its service (<see cref="IAsyncDisposable"/> or
    /// <see cref="IDisposable"/>): disposed once the service has stopped.
    /// </summary>
    protected T Own<T>(T resource)
        where T : notnull
    {
        _owned.Add(resource);
        return resource;
    }

    /// <summary>An HTTP client; with <paramref name="token"/>, it sends <c>Authorization: Bearer</c>.</summary>
    public HttpClient CreateClient(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // As the Development environment does: a singleton that captures a scoped service, or a registration that
        // cannot be built, stops the host here rather than only on a developer's machine.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Database:Provider", Engine == DatabaseEngine.Postgres ? "postgres" : "sqlite");
        builder.UseSetting("Platform:DrainDelay", "00:00:00");
        builder.UseSetting("Platform:DataDirectory", Path.Combine(Path.GetTempPath(), "scalableapi-tests", Guid.NewGuid().ToString("N")));
        foreach (var (key, value) in ExtraSettings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (UseTestTokens)
            {
                services.RemoveAll<ISigningKeySource>();
                services.AddSingleton<ISigningKeySource>(Tokens);
            }

            ConfigureServices(services);
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // Virtual: a fixture's override (its own standby, a switch) runs too, and ends with the factory's own.
        await DisposeAsync();
        await Disposal.AllAsync(_owned);
        Tokens.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
