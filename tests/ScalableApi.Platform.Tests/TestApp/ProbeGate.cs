namespace ScalableApi.Platform.Tests.TestApp;

/// <summary>A slow endpoint without sleeps: requests wait here until the test opens the gate.</summary>
public sealed class ProbeGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;
    private int _aborted;

    /// <summary>Requests currently held.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Held requests whose client has gone, as the server saw it (over a real connection that takes a moment).</summary>
    public int Aborted => Volatile.Read(ref _aborted);

    public void Open() => _open.TrySetResult();

    public async Task<int> PassAsync(CancellationToken requestAborted = default)
    {
        using var noticed = requestAborted.Register(() => Interlocked.Increment(ref _aborted));
        Interlocked.Increment(ref _waiting);
        try
        {
            await _open.Task;
            return 1;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}
