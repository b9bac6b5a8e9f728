namespace ScalableApi.System.Tests.Topology;

/// <summary>When a <see cref="SystemTopology"/> process counts as started: ready on its own, then routed by the gateway.</summary>
public partial class SystemTopology
{
    private async Task WaitUntilReadyAsync(ChildProcess process, Uri address, CancellationToken deadline)
    {
        var ready = new Uri(address, "/health/ready");
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited during start-up.");
            }

            try
            {
                using var response = await _probe.GetAsync(ready, deadline);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // One slow probe while the machine is busy starting everything.
            }

            await DelayOrThrowAsync($"{process.Name} was not ready at {ready}", deadline);
        }
    }

    /// <summary>Until the gateway's metrics list every one of <paramref name="replicas"/> as a healthy destination.</summary>
    private async Task WaitUntilRoutedAsync(IReadOnlyList<Replica> replicas, CancellationToken deadline, Uri? gateway = null)
    {
        while (true)
        {
            try
            {
                var metrics = await MetricsAsync(gateway ?? GatewayAddress, deadline);
                if (replicas.All(r => metrics.Healthy(r.Service).Any(d => r.IsDestination(d.Key) && d.Value == 1)))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The gateway is busy; ask again.
            }

            await DelayOrThrowAsync($"the gateway did not route to every replica ({string.Join(", ", replicas)})", deadline);
        }
    }

    private static async Task DelayOrThrowAsync(string what, CancellationToken deadline)
    {
        try
        {
            await Task.Delay(Poll.Interval, deadline);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Start-up deadline passed: {what}.");
        }
    }
}
