using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ScalableApi.AppHost;

/// <summary>
/// Restarts a service process that exits unexpectedly, as a cluster would: Aspire 13.6 leaves an exited project
/// resource stopped (no restart policy for executables: microsoft/aspire#1708), so the local run would stay at half
/// capacity after one crash. Unexpected means it went from Running straight to Exited/Finished with a non-zero exit code
/// (a crash, SIGKILL, OOM kill) while the AppHost is not stopping; a stop asked for (dashboard, Ctrl+C) passes through
/// Stopping first and is left alone. Restarts go through the orchestrator's own Start command, on the same port and
/// environment, so the replica registers itself again and the gateway routes to it once its health check passes.
/// Backoff: 1 s, 2 s, 4 s … up to 30 s between attempts, back to 1 s once a process has run for a minute.
/// </summary>
internal sealed partial class ReplicaSupervisor(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    ILogger<ReplicaSupervisor> logger) : BackgroundService
{
    private readonly TimeProvider _time = TimeProvider.System;

    internal static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Supervised> _resources = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (update.Resource is ProjectResource resource && update.Snapshot.State?.Text is { Length: > 0 } state)
                {
                    Observe(resource, state, update.Snapshot.ExitCode, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
    }

    private void Observe(ProjectResource resource, string state, int? exitCode, CancellationToken stoppingToken)
    {
        if (!_resources.TryGetValue(resource.Name, out var supervised))
        {
            _resources[resource.Name] = supervised = new Supervised();
        }

        var previous = supervised.State;
        supervised.State = state;
        if (state == KnownResourceStates.Running && previous != KnownResourceStates.Running)
        {
            supervised.RunningSince = _time.GetUtcNow();
            if (supervised.Attempt > 0)
            {
                LogRestarted(resource.Name, supervised.Attempt);
            }
        }

        var exited = state == KnownResourceStates.Exited || state == KnownResourceStates.Finished || state == KnownResourceStates.FailedToStart;
        var unexpected = previous == KnownResourceStates.Running || (previous == KnownResourceStates.Starting && supervised.Attempt > 0);
        if (!exited || !unexpected || exitCode == 0 || supervised.Restarting || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return;
        }

        // A process that ran a while before it died starts a fresh series; one that keeps dying waits longer each time.
        var stable = supervised.RunningSince is { } since && _time.GetUtcNow() - since >= StableAfter;
        supervised.Attempt = stable ? 1 : supervised.Attempt + 1;
        var delay = Backoff(supervised.Attempt);
        supervised.Restarting = true;
        LogExited(resource.Name, exitCode, delay.TotalSeconds, supervised.Attempt);
        _ = RestartAsync(resource, supervised, delay, stoppingToken);
    }

    /// <summary>1 s, 2 s, 4 s … capped at <see cref="MaxDelay"/>.</summary>
    internal static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(attempt - 1, 20)));

    private async Task RestartAsync(ProjectResource resource, Supervised supervised, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken);
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return;
            }

            var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                LogStartFailed(resource.Name, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception ex)
        {
            LogStartError(resource.Name, ex);
        }
        finally
        {
            // The next Exited (if the start failed, or the process dies again) schedules the next attempt.
            supervised.Restarting = false;
        }
    }

    private sealed class Supervised
    {
        public string? State { get; set; }

        public DateTimeOffset? RunningSince { get; set; }

        public int Attempt { get; set; }

        public volatile bool Restarting;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} exited unexpectedly (exit code {ExitCode}); restarting in {DelaySeconds} s (attempt {Attempt})")]
    private partial void LogExited(string resource, int? exitCode, double delaySeconds, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} is running again (restart attempt {Attempt})")]
    private partial void LogRestarted(string resource, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} could not be started: {Error}; the next exit retries")]
    private partial void LogStartFailed(string resource, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource} could not be started")]
    private partial void LogStartError(string resource, Exception exception);
}

internal static class ReplicaSupervisorExtensions
{
    public static void AddReplicaSupervisor(this IDistributedApplicationBuilder builder) =>
        builder.Services.AddHostedService<ReplicaSupervisor>();
}
