using Prometheus;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// prometheus-net starts its meter adapter (the bridge from .NET meters to /metrics) just before the first scrape,
/// so counters and histograms recorded before it (a job run at start-up, an event consumed before Prometheus first
/// came by) would be lost. One collection at start-up attaches the adapter before any work begins.
/// </summary>
internal sealed class MeterAdapterStart : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
