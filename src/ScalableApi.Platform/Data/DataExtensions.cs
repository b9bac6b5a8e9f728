using System.Reflection;
using ScalableApi.Platform.Data.Consistency;
using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Data;

public static class DataExtensions
{
    /// <summary>
    /// Registers the service's <see cref="IDatabase"/> from the <c>Database</c> section and applies the
    /// migrations embedded in <paramref name="migrationsAssembly"/> at start-up.
    /// </summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder, Assembly migrationsAssembly)
    {
        builder.Services.AddValidatedOptions<DatabaseOptions>(builder.Configuration, DatabaseOptions.SectionName)
            .PostConfigure<IOptions<PlatformOptions>>((options, platform) =>
            {
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    var file = Path.Combine(platform.Value.DataDirectory, $"{platform.Value.ServiceName}.db");
                    options.ConnectionString = $"Data Source={file}";
                    options.Provider ??= "sqlite";
                }

                options.Provider ??= LooksLikePostgres(options.ConnectionString) ? "postgres" : "sqlite";
            });

        builder.Services.AddSingleton<IDatabase>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return string.Equals(options.Provider, "postgres", StringComparison.OrdinalIgnoreCase)
                ? new PostgresDatabase(
                    options,
                    sp.GetRequiredService<DatabaseMetrics>(),
                    sp.GetRequiredService<ConsistencyClock>(),
                    new StandbyReplay(options.ReplayCheckMilliseconds, sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()))
                : new SqliteDatabase(options, sp.GetRequiredService<ConsistencyClock>());
        });
        builder.Services.AddSingleton<ConsistencyClock>();
        builder.Services.AddSingleton<DatabaseMetrics>();
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton(new MigrationSet(migrationsAssembly));
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddHealthChecks().AddCheck<Health.DatabaseHealthCheck>("database", tags: [Health.HealthTags.Ready]);
        return builder;
    }

    private static bool LooksLikePostgres(string connectionString) =>
        connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains("Server=", StringComparison.OrdinalIgnoreCase);
}
