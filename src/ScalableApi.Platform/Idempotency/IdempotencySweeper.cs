namespace ScalableApi.Platform.Idempotency;

/// <summary>
/// Deletes expired idempotency records and tombstones every <see cref="IdempotencyOptions.SweepInterval"/>, in
/// bounded batches; safe on several replicas at once (each batch is one short statement).
/// </summary>
internal sealed partial class IdempotencySweeper(
    IdempotencyStore store, IOptions<IdempotencyOptions> options, TimeProvider time, ILogger<IdempotencySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var swept = await store.SweepAsync(stoppingToken);
                if (swept > 0)
                {
                    LogSwept(swept);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Expired rows are ignored by lookups anyway; the next round deletes them.
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Swept {Count} expired idempotency records")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency sweep failed; retrying next round")]
    private partial void LogFailed(Exception exception);
}
