using Microsoft.Extensions.Logging;

namespace ScalableApi.Platform.Tests.Observability;

public sealed class LogLevelTests(ProbeAppFixture fixture) : IClassFixture<ProbeAppFixture>
{
    // FusionCache logs each cache operation at Information: left on, every cached read would print four JSON lines.
    [Fact]
    public void Cache_operations_are_not_logged_at_information_but_their_warnings_are()
    {
        var loggers = fixture.App.Services.GetRequiredService<ILoggerFactory>();
        var cache = loggers.CreateLogger("ZiggyCreatures.Caching.Fusion.FusionCache");
        var service = loggers.CreateLogger("ScalableApi.Catalog.Products");

        Assert.False(cache.IsEnabled(LogLevel.Information));
        Assert.True(cache.IsEnabled(LogLevel.Warning));
        Assert.True(service.IsEnabled(LogLevel.Information));
    }
}
