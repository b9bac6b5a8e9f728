using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Security;
using ScalableApi.Platform.Validation;
using ScalableApi.Testing;

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

    private ProbeApp(WebApplication app, TestDatabase database, TestTokens tokens)
    {
        _app = app;
        _database = database;
        Tokens = tokens;
    }

    public TestTokens Tokens { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Holds <c>/probe/slow</c> requests until opened.</summary>
    public ProbeGate Gate => _app.Services.GetRequiredService<ProbeGate>();

    /// <summary>Begins a graceful stop (as SIGTERM would) without waiting for it.</summary>
    public Task StopAsync() => _app.StopAsync();

    public static async Task<ProbeApp> StartAsync(string environment = "Production", IDictionary<string, string?>? settings = null)
    {
        var database = TestDatabase.CreateSqlite();
        var tokens = new TestTokens();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
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

        var app = builder.Build();
        app.UsePlatform();
        app.MapPlatformEndpoints();
        var probe = app.MapGroup("/probe");
        probe.MapGet("/pages", ([AsParameters] PageRequest page) => TypedResults.Ok(page.EffectiveLimit));
        probe.MapGet("/items/{id:long}", (long id) => TypedResults.Ok(new { id, text = "<b>\"é\"</b> & 'x'" }));
        probe.MapPost("/echo", (ProbeRequest request) => TypedResults.Ok(request)).Validate<ProbeRequest>();
        probe.MapGet("/secure", (System.Security.Claims.ClaimsPrincipal user) => TypedResults.Ok(new { id = user.GetUserId() })).RequireAuthorization();
        probe.MapGet("/admin", () => TypedResults.Ok()).RequireAuthorization(AuthorizationPolicies.Admin);
        probe.MapGet("/slow", async (ProbeGate gate) => TypedResults.Ok(await gate.PassAsync()));
        probe.MapGet("/boom", string () => throw new InvalidOperationException(SecretInException));
        await app.StartAsync();
        return new ProbeApp(app, database, tokens);
    }

    public HttpClient CreateClient(string? token = null)
    {
        var client = _app.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Tokens.Dispose();
        await _database.DisposeAsync();
    }
}
