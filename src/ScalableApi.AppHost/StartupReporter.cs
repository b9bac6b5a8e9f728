using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ScalableApi.AppHost;

/// <summary>
/// Prints progress while the services start and, once every one answers <c>/health/ready</c>,
/// a banner with their URLs and the dashboard's (stdout, so scripts can read it).
/// </summary>
internal sealed class StartupReporter(
    ResourceNotificationService notifications,
    DistributedApplicationModel model,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    StartupSummary summary) : BackgroundService
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStopping.Register(() => Console.WriteLine("==> stopping: services, dashboard and orchestrator are shutting down"));
        var names = ResourceNames();
        Console.WriteLine($"==> starting {string.Join(", ", names)} (ready when {Topology.ReadinessPath} answers 200)");
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var progress = PrintProgressAsync(watch.Token);
        try
        {
            await Task.WhenAll(names.Select(name =>
                notifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (DistributedApplicationException ex)
        {
            Console.WriteLine($"==> a service failed to start: {ex.Message} (its logs are on the dashboard: {DashboardUrl()})");
            return;
        }
        finally
        {
            await watch.CancelAsync();
            await progress;
        }

        Console.WriteLine(Banner());
    }

    private async Task PrintProgressAsync(CancellationToken cancellationToken)
    {
        var last = new Dictionary<string, string>();
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                if (update.Resource is not ProjectResource)
                {
                    continue;
                }

                var state = update.Snapshot.State?.Text;
                if (string.IsNullOrEmpty(state))
                {
                    continue;
                }

                var text = update.Snapshot.HealthStatus is { } health && state == KnownResourceStates.Running
                    ? $"{state}, {health.ToString().ToLowerInvariant()}"
                    : state;
                if (last.GetValueOrDefault(update.Resource.Name) != text)
                {
                    last[update.Resource.Name] = text;
                    Console.WriteLine($"    {update.Resource.Name,-10} {text} ({_elapsed.Elapsed.TotalSeconds:0.0} s)");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Startup finished or the AppHost is stopping.
        }
    }

    private string Banner()
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("================================================================");
        text.AppendLine($" ScalableApi is ready ({_elapsed.Elapsed.TotalSeconds:0.0} s)");
        text.AppendLine("================================================================");
        var gatewayResource = model.Resources.OfType<ProjectResource>().Single(r => r.Name == Topology.Gateway);
        var gateway = gatewayResource.GetEndpoint(Topology.PublicEndpointOf(gatewayResource)).Url;
        text.AppendLine($" gateway    {gateway}   (the API: {gateway}/api/products, health: {gateway}{Topology.ReadinessPath})");
        foreach (var resource in model.Resources.OfType<ProjectResource>().Where(r => r.Name != Topology.Gateway))
        {
            var url = resource.GetEndpoint(Topology.HttpEndpoint).Url;
            text.AppendLine($" {resource.Name,-10} {url}   (replica; health: {url}{Topology.ReadinessPath})");
        }

        text.AppendLine($" dashboard  {DashboardUrl()}");
        text.AppendLine($" redis      {summary.Redis}");
        text.AppendLine($" storage    {summary.Storage}");
        if (summary.Tls is not null)
        {
            text.AppendLine($" tls        {summary.Tls}");
        }

        text.AppendLine("----------------------------------------------------------------");
        text.AppendLine(" Ctrl+C (or SIGTERM) stops everything.");
        text.Append("================================================================");
        return text.ToString();
    }

    private List<string> ResourceNames() => [.. model.Resources.OfType<ProjectResource>().Select(r => r.Name)];

    private string DashboardUrl() =>
        (configuration["ASPNETCORE_URLS"] ?? "(dashboard disabled)").Split(';')[0];
}

/// <summary>What the banner says about the infrastructure the AppHost chose.</summary>
internal sealed record StartupSummary(string Redis, string Storage, string? Tls = null);

internal static class StartupReporterExtensions
{
    public static void AddStartupReporter(this IDistributedApplicationBuilder builder, StartupSummary summary)
    {
        builder.Services.AddSingleton(summary);
        builder.Services.AddHostedService<StartupReporter>();
    }
}
