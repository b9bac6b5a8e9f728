using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Health;

/// <summary>Unready while draining, so load balancers stop sending new requests before the server stops.</summary>
internal sealed class DrainingHealthCheck(DrainState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsDraining ? HealthCheckResult.Unhealthy("shutting down") : HealthCheckResult.Healthy("serving"));
}
