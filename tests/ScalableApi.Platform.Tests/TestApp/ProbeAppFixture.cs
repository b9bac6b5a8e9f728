namespace ScalableApi.Platform.Tests.TestApp;

/// <summary>One probe app shared by a test class.</summary>
public sealed class ProbeAppFixture : IAsyncLifetime
{
    private ProbeApp? _app;

    public ProbeApp App => _app ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _app = await ProbeApp.StartAsync();

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
