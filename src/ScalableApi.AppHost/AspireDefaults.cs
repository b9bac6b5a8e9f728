using Microsoft.Extensions.Configuration;

namespace ScalableApi.AppHost;

/// <summary>
/// What the launch profile sets, also applied in code so the AppHost runs the same with
/// <c>--no-launch-profile</c> or as a plain <c>dotnet ScalableApi.AppHost.dll</c>. Values already
/// configured (environment, launch profile) win.
/// </summary>
internal static class AspireDefaults
{
    private const int PreferredDashboardPort = 18888;
    private const int PreferredOtlpPort = 18889;

    public static IDistributedApplicationBuilder CreateBuilder()
    {
        // Our own options are parsed already; Aspire gets none so it cannot misread them as configuration.
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [],
            // Plain http on loopback for a laptop; nothing listens beyond 127.0.0.1.
            AllowUnsecuredTransport = true,
        });

        var defaults = new Dictionary<string, string?>();
        AddIfMissing(builder.Configuration, defaults, "ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true");
        AddIfMissing(builder.Configuration, defaults, "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", "true");
        AddIfMissing(builder.Configuration, defaults, "ASPNETCORE_URLS", () => $"http://localhost:{FreePort.PreferOrNext(PreferredDashboardPort)}");
        AddIfMissing(builder.Configuration, defaults, "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", () => $"http://localhost:{FreePort.PreferOrNext(PreferredOtlpPort)}");
        builder.Configuration.AddInMemoryCollection(defaults);
        return builder;
    }

    private static void AddIfMissing(IConfiguration configuration, Dictionary<string, string?> defaults, string key, string value) =>
        AddIfMissing(configuration, defaults, key, () => value);

    private static void AddIfMissing(IConfiguration configuration, Dictionary<string, string?> defaults, string key, Func<string> value)
    {
        if (string.IsNullOrWhiteSpace(configuration[key]))
        {
            defaults[key] = value();
        }
    }
}
