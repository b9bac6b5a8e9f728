using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ScalableApi.Gateway.Pages;

namespace ScalableApi.Gateway.Dashboard;

/// <summary>
/// The operator's live page (SPEC §2 <c>GET /dashboard</c>): one HTML page with its script, styles and the vendored
/// uPlot, fed by a Server-Sent Events stream of one <see cref="DashboardSnapshot"/> a second. The page itself holds no
/// data, so anyone gets it (and its sign-in form); the stream needs the admin session cookie from
/// <c>POST /dashboard/session</c>.
/// </summary>
internal static class DashboardExtensions
{
    public const string Path = "/dashboard";

    public static WebApplicationBuilder AddGatewayDashboard(this WebApplicationBuilder builder) =>
        builder.AddFeature<DashboardOptions>(DashboardOptions.SectionName, static services => services
            .AddSingleton<TrafficRecorder>()
            .AddSingleton<DashboardSnapshots>()
            .AddSingleton<ServiceMetricsScraper>()
            .AddHostedService(static sp => sp.GetRequiredService<ServiceMetricsScraper>())
            .AddSingleton<DashboardSession>()
            .AddSingleton<DashboardAssets>());

    public static IEndpointRouteBuilder MapGatewayDashboard(this IEndpointRouteBuilder app)
    {
        // Listening from start-up, so the first page already shows the last minute.
        app.ServiceProvider.GetRequiredService<TrafficRecorder>();
        var assets = app.ServiceProvider.GetRequiredService<DashboardAssets>();
        var dashboard = app.MapGroup(Path).ExcludeFromDescription();
        dashboard.MapGet("", (HttpContext context) => assets.Serve("index.html", context))
            .WithSecurityHeadersPolicy(PageSecurityHeaders.SelfOnly);
        dashboard.MapGet("/assets/{file}", (string file, HttpContext context) => assets.Serve(file, context));
        dashboard.MapGet("/session", GetSession);
        dashboard.MapPost("/session", StartSession).RequireAuthorization(AuthorizationPolicies.Admin);
        dashboard.MapDelete("/session", EndSession);
        dashboard.MapGet("/stream", Stream).StreamsResponse();
        return app;
    }

    /// <summary>Whether this browser has a session: 200 either way, so the page's first look is not an error in its console.</summary>
    private static Ok<SessionResponse> GetSession(DashboardSession session, HttpContext context) =>
        TypedResults.Ok(session.Validate(context) is { } expires ? new SessionResponse(true, expires) : new SessionResponse(false, null));

    private static Ok<SessionResponse> StartSession(DashboardSession session, HttpContext context) =>
        TypedResults.Ok(new SessionResponse(true, session.Issue(context, context.User)));

    private static NoContent EndSession(HttpContext context)
    {
        DashboardSession.End(context);
        return TypedResults.NoContent();
    }

    private static Results<ServerSentEventsResult<DashboardSnapshot>, ProblemHttpResult> Stream(
        DashboardSession session, DashboardSnapshots snapshots, IOptions<DashboardOptions> options, TimeProvider time,
        IHostApplicationLifetime lifetime, HttpContext context)
    {
        if (session.Validate(context) is not { } expires)
        {
            return NoSession();
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.ServerSentEvents(
            Snapshots(snapshots, options.Value.Interval, expires, time, lifetime.ApplicationStopping, context.RequestAborted), "snapshot");
    }

    /// <summary>
    /// One snapshot now, then one per interval until the client goes, the session expires (the browser's EventSource
    /// then reconnects, gets a 401 and the page asks to sign in again) or the gateway stops (so draining does not wait).
    /// </summary>
    private static async IAsyncEnumerable<DashboardSnapshot> Snapshots(
        DashboardSnapshots snapshots, TimeSpan interval, DateTimeOffset expires, TimeProvider time,
        CancellationToken stopping, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancellationToken);
        using var timer = new PeriodicTimer(interval, time);
        yield return snapshots.Build();
        while (time.GetUtcNow() < expires)
        {
            try
            {
                if (!await timer.WaitForNextTickAsync(linked.Token))
                {
                    yield break;
                }
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return snapshots.Build();
        }
    }

    private static ProblemHttpResult NoSession() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in as an admin to see the dashboard.");

    internal sealed record SessionResponse(bool SignedIn, DateTimeOffset? ExpiresAt);
}
