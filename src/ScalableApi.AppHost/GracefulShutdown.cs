using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ScalableApi.AppHost;

/// <summary>
/// On Ctrl+C / SIGTERM, stops the services through the orchestrator and waits for them before the AppHost
/// exits. Without it the AppHost exits at once and the orchestrator, noticing later, tears the services
/// down several seconds afterwards. Registered after Aspire's own services, so it stops first.
/// </summary>
internal sealed class GracefulShutdown(DistributedApplicationModel model, ResourceCommandService commands) : IHostedService
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Budget);
        var services = model.Resources.OfType<ProjectResource>();
        try
        {
            await Task.WhenAll(services.Select(s => commands.ExecuteCommandAsync(s, KnownResourceCommands.StopCommand, timeout.Token)));
            Console.WriteLine($"==> services stopped ({elapsed.Elapsed.TotalSeconds:0.0} s)");
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("==> services did not stop in time; the orchestrator will end them");
        }
    }
}

internal static class GracefulShutdownExtensions
{
    public static void AddGracefulShutdown(this IDistributedApplicationBuilder builder) =>
        builder.Services.AddHostedService<GracefulShutdown>();
}
