namespace ScalableApi.Platform.Data;

/// <summary>Runs the service's migrations, and those of the platform capabilities it uses, before the server starts listening.</summary>
internal sealed class MigrationHostedService(MigrationRunner runner, IDatabase database, IEnumerable<MigrationSet> sets) : Microsoft.Extensions.Hosting.IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        await runner.MigrateAsync(MigrationSource.Load(sets, database.Engine), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
