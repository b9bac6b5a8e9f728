namespace ScalableApi.Platform.Hosting;

/// <summary>
/// Whether this process is draining: shutdown has begun, readiness reports 503 and discovery has deregistered,
/// but the server still serves requests until load balancers have noticed.
/// </summary>
public sealed class DrainState
{
    private readonly CancellationTokenSource _draining = new();

    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Cancelled when draining begins; register what must happen first (deregistration).</summary>
    public CancellationToken Draining => _draining.Token;

    internal void Begin() => _draining.Cancel();
}
