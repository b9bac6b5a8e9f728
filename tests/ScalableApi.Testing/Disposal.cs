namespace ScalableApi.Testing;

/// <summary>What a test class's <c>DisposeAsync</c> does: dispose what it started, in the order given.</summary>
public static class Disposal
{
    /// <summary>
    /// Disposes each of <paramref name="resources"/> in turn: an <see cref="IAsyncDisposable"/>, an xunit
    /// <see cref="IAsyncLifetime"/> (a fixture started by hand), an <see cref="IDisposable"/>, or a sequence of them
    /// (each in its order); a null one (never started) is skipped.
    /// </summary>
    public static async Task AllAsync(params object?[] resources)
    {
        foreach (var resource in resources)
        {
            switch (resource)
            {
                case null:
                    break;
                case IAsyncDisposable disposable:
                    await disposable.DisposeAsync();
                    break;
                case IAsyncLifetime lifetime:
                    await lifetime.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
                case System.Collections.IEnumerable many:
                    await AllAsync([.. many.Cast<object?>()]);
                    break;
                default:
                    throw new ArgumentException($"{resource.GetType()} is neither disposable nor a sequence of disposables", nameof(resources));
            }
        }
    }
}
