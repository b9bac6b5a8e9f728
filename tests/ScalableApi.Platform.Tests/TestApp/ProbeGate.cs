namespace ScalableApi.Platform.Tests.TestApp;

/// <summary>A slow endpoint without sleeps: requests wait here until the test opens the gate.</summary>
public sealed class ProbeGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    /// <summary>Requests currently held.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Open() => _open.TrySetResult();

    public async Task<int> PassAsync()
    {
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
