using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScalableApi.Platform.Data;

namespace ScalableApi.Platform.Health;

/// <summary>Ready when the primary answers a trivial query.</summary>
internal sealed class DatabaseHealthCheck(IDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenWriteAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy(database.Engine.ToString().ToLowerInvariant());
        }
        catch (Exception ex)
        {
            // The exception goes to the log through the health check publisher, never into the response.
            return HealthCheckResult.Unhealthy($"{database.Engine} unreachable".ToLowerInvariant(), ex);
        }
    }
}
