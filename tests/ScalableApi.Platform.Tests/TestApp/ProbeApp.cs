using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using ScalableApi.Platform.Http;
using ScalableApi.Platform.Security;
using ScalableApi.Platform.Validation;

namespace ScalableApi.Platform.Tests.TestApp;

/// <summary>
/// A minimal service built only from the platform (AddPlatform / UsePlatform / MapPlatformEndpoints) plus a few
/// probe endpoints, on a real SQLite database, in the Production environment.
/// </summary>
public sealed class ProbeApp : IAsyncDisposable
{
    public const string SecretInException = "secret-connection-string=Password=hunter2";

    private readonly WebApplication _app;
    private readonly TestDatabase _database;

    private readonly bool _kestrel;

    private ProbeApp(WebApplication app, TestDatabase database, TestTokens tokens, bool kestrel)
    {
        _app = app;
        _database = database;
        Tokens = tokens;
        _kestrel = kestrel;
    }

    public TestTokens Tokens { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Holds <c>/probe/slow</c> requests until opened.</summary>
    public ProbeGate Gate => _app.Services.GetRequiredService<ProbeGate>();

    /// <summary>Begins a graceful stop (as SIGTERM would) without waiting for it.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <summary>
    /// Starts the probe service in memory, or with <paramref name="kestrel"/> on a real loopback Kestrel server
    /// (when the test is about HTTP framing: Content-Length or chunked, which the in-memory server does not do).
    /// <paramref name="steps"/> adds platform steps a service opts into (jobs, the outbox, idempotency).
    /// </summary>
    public static async Task<ProbeApp> StartAsync(
        string environment = "Production",
        IDictionary<string, string?>? settings = null,
        bool kestrel = false,
        Action<IServiceCollection>? services = null,
        Action<WebApplicationBuilder>? steps = null)
    {
        var database = TestDatabase.CreateSqlite();
        var tokens = new TestTokens();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Configuration["Database:ConnectionString"] = database.ConnectionString;
        builder.Configuration["Platform:DrainDelay"] = "00:00:00";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.Configuration[key] = value;
        }

        builder.AddPlatform("probe", typeof(ProbeApp).Assembly);
        builder.AddDatabase(typeof(ProbeApp).Assembly);
        builder.Services.RemoveAll<ISigningKeySource>();
        builder.Services.AddSingleton<ISigningKeySource>(tokens);
        builder.Services.AddSingleton<ProbeGate>();
        services?.Invoke(builder.Services);
        steps?.Invoke(builder);

        var app = builder.Build();
        try
        {
            app.UsePlatform();
            app.MapPlatformEndpoints();
            var probe = app.MapGroup("/probe");
            probe.MapGet("/pages", ([AsParameters] PageRequest page) => TypedResults.Ok(page.Limit ?? PageRequest.DefaultLimit));
            probe.MapGet("/items/{id:long}", (long id) => TypedResults.Ok(new { id, text = "<b>\"é\"</b> & 'x'" }));
            probe.MapPost("/echo", (ProbeRequest request) => TypedResults.Ok(request)).Validate<ProbeRequest>();
            probe.MapGet("/secure", (System.Security.Claims.ClaimsPrincipal user) => TypedResults.Ok(new { id = user.GetUserId() })).RequireAuthorization();
            probe.MapGet("/admin", () => TypedResults.Ok()).RequireAuthorization(AuthorizationPolicies.Admin);
            probe.MapGet("/slow", async (ProbeGate gate, HttpContext context) => TypedResults.Ok(await gate.PassAsync(context.RequestAborted)));
            probe.MapGet("/boom", string () => throw new InvalidOperationException(SecretInException));
            MapResponseProbes(probe);
            MapDatabaseFailureProbes(probe);
            await app.StartAsync();
        }
        catch
        {
            // A host that refuses to start (options validation tests) still releases its database and keys.
            await app.DisposeAsync();
            tokens.Dispose();
            await database.DisposeAsync();
            throw;
        }

        return new ProbeApp(app, database, tokens, kestrel);
    }

    public HttpClient CreateClient(string? token = null)
    {
        var client = _kestrel ? new HttpClient { BaseAddress = new Uri(_app.Urls.First()) } : _app.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>
    /// Real Npgsql failures, thrown through to the platform's exception handler: a port nothing listens on (connection
    /// refused), two such hosts behind a multi-host source, a session the server ends (57P01), an SQL mistake.
    /// </summary>
    private static void MapDatabaseFailureProbes(RouteGroupBuilder probe)
    {
        var closed = ClosedPort();
        probe.MapGet("/db/refused", async () =>
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={closed};Username=postgres;Timeout=5;Pooling=false");
            await connection.OpenAsync();
            return TypedResults.Ok();
        });
        probe.MapGet("/db/no-host", async () =>
        {
            await using var source = new NpgsqlDataSourceBuilder($"Host=127.0.0.1:{closed},127.0.0.1:{closed};Username=postgres;Timeout=5;Pooling=false").BuildMultiHost();
            await using var connection = await source.WithTargetSession(TargetSessionAttributes.Primary).OpenConnectionAsync();
            return TypedResults.Ok();
        });
        probe.MapGet("/db/terminated", () => OnPostgresAsync("SELECT pg_terminate_backend(pg_backend_pid())"));
        probe.MapGet("/db/bad-sql", () => OnPostgresAsync("SELEC 1"));
    }

    private static async Task<Ok> OnPostgresAsync(string sql)
    {
        var admin = Environment.GetEnvironmentVariable(TestDatabase.PostgresEnvironmentVariable)
            ?? throw new InvalidOperationException($"{TestDatabase.PostgresEnvironmentVariable} is not set.");
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
        return TypedResults.Ok();
    }

    /// <summary>A loopback port that was free a moment ago and that nothing here listens on: connecting is refused.</summary>
    private static int ClosedPort() => LoopbackPorts.Free();

    /// <summary>Bodies of every shape the response buffering has to get right.</summary>
    private static void MapResponseProbes(RouteGroupBuilder probe)
    {
        // A JSON string of n characters: small ones are sent whole, large ones stream.
        probe.MapGet("/sized/{n:int}", (int n) => TypedResults.Ok(new string('x', n)));
        probe.MapMethods("/head/{id:long}", [HttpMethods.Get, HttpMethods.Head], (long id) => TypedResults.Ok(new { id, text = "same length either way" }));
        probe.MapGet("/not-modified", () => TypedResults.StatusCode(StatusCodes.Status304NotModified));
        probe.MapGet("/empty", () => TypedResults.Ok());
        probe.MapGet("/half-then-boom", async (HttpResponse response) =>
        {
            response.ContentType = "application/json";
            await response.WriteAsync("{\"partial\":");
            throw new InvalidOperationException("failed half-way through the body");
        });
        // Opted out: the first part reaches the client while the endpoint still waits at the gate.
        probe.MapGet("/stream", async (HttpResponse response, ProbeGate gate) =>
        {
            await response.WriteAsync("first;");
            await response.Body.FlushAsync();
            await gate.PassAsync();
            await response.WriteAsync("second");
        }).StreamsResponse();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Tokens.Dispose();
        await _database.DisposeAsync();
    }
}
