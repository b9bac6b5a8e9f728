namespace ScalableApi.Platform.Hosting;

/// <summary>
/// On SIGTERM / Ctrl+C: first turn readiness to 503 and leave discovery, then keep serving for
/// <see cref="PlatformOptions.DrainDelay"/> so gateways and Kubernetes stop routing here, and only then let the
/// server stop (Kestrel finishes in-flight requests within the host's shutdown timeout). No request is cut off.
/// </summary>
internal sealed partial class GracefulDrainService(DrainState state, IOptions<PlatformOptions> options, ILogger<GracefulDrainService> logger) : IHostedLifecycleService
{
    // Runs before the host signals ApplicationStopping and before any hosted service (the web server) stops.
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.Begin();
        var delay = options.Value.DrainDelay;
        LogDraining(delay.TotalSeconds);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out first: stop now.
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: readiness is 503; serving for {Seconds} s more before stopping")]
    private partial void LogDraining(double seconds);
}
