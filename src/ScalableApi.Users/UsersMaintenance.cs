using ScalableApi.Users.Auth;
using ScalableApi.Users.Keys;

namespace ScalableApi.Users;

/// <summary>
/// Housekeeping every <see cref="UsersOptions.MaintenanceInterval"/> on every replica (each step is safe to run on
/// several at once): the next signing key written ahead of its start and expired key files deleted
/// (<see cref="SigningKeyStore.EnsureActiveKey"/>), expired and revoked refresh tokens swept.
/// </summary>
internal sealed partial class UsersMaintenance(
    SigningKeyStore keys,
    RefreshTokenSweeper sweeper,
    IOptions<UsersOptions> options,
    TimeProvider time,
    ILogger<UsersMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MaintenanceInterval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next round tries again; a failed sweep only leaves rows for it.
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round (tests call it directly).</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        keys.EnsureActiveKey();
        var swept = await sweeper.SweepAsync(cancellationToken);
        if (swept > 0)
        {
            LogSwept(swept);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Swept {Count} expired or revoked refresh tokens")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Users maintenance failed; retrying next round")]
    private partial void LogFailed(Exception exception);
}
