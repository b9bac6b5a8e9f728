using PuppeteerSharp;

namespace ScalableApi.System.Tests.Browser;

/// <summary>
/// Debian's <c>chromium</c> (installed by <c>.ci/run</c> when missing), driven by PuppeteerSharp. Never a downloaded
/// browser: the executable is the one on PATH, run as root with <c>--no-sandbox --headless=new</c>.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>Where screenshots go: <c>SCALABLEAPI_SCREENSHOTS</c>, or the topology's temp folder.</summary>
    public const string ScreenshotsVariable = "SCALABLEAPI_SCREENSHOTS";

    public static async Task<IBrowser> LaunchAsync() => await Puppeteer.LaunchAsync(new LaunchOptions
    {
        ExecutablePath = Executable(),
        Headless = true,
        Args = ["--no-sandbox", "--headless=new", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run"],
        Timeout = 60_000,
    });

    public static string ScreenshotPath(string fallbackDirectory, string name)
    {
        var directory = Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } chosen ? chosen : fallbackDirectory;
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private static string Executable()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("chromium is not on PATH: install Debian's package (apt-get install -y --no-install-recommends chromium); .ci/run does.");
    }
}
