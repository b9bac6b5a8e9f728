using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace ScalableApi.Platform.Data;

/// <summary>Runs the service's migrations before the server starts listening.</summary>
internal sealed class MigrationHostedService(MigrationRunner runner, IDatabase database, Assembly migrationsAssembly) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        await runner.MigrateAsync(MigrationSource.Load(migrationsAssembly, database.Engine), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
