using System.Collections.Concurrent;
using ScalableApi.Platform.Hosting;
using StackExchange.Redis;

namespace ScalableApi.Platform.Idempotency;

/// <summary>
/// "This key is running": a marker per (caller, key) while a keyed POST executes, so a repeat meanwhile is 409. Held in
/// this process and, when there is a store, in the store (across replicas) with a short renewed lifetime, so a replica
/// that dies frees its keys within <see cref="IdempotencyOptions.InFlightTimeout"/>. The markers only shape the answer:
/// at-most-once rests on the database's unique constraint, so a store that is down costs the 409 across replicas (the
/// repeat then waits for the first and replays it), never correctness.
/// </summary>
public sealed partial class InFlightMarkers(
    IServiceProvider services, IOptions<IdempotencyOptions> options, IOptions<PlatformOptions> platform, ILogger<InFlightMarkers> logger)
{
    private readonly ConcurrentDictionary<string, byte> _local = new(StringComparer.Ordinal);
    private readonly IConnectionMultiplexer? _redis = services.GetService<IConnectionMultiplexer>();

    /// <summary>Takes the marker; null when the key is already running (here or on another replica).</summary>
    public async Task<Marker?> TryEnterAsync(string caller, string key, CancellationToken cancellationToken)
    {
        var name = $"idempotency:{platform.Value.ServiceName}:{caller}:{key}";
        if (!_local.TryAdd(name, 0))
        {
            return null;
        }

        var marker = new Marker(this, name, Guid.NewGuid().ToString("N"));
        if (_redis is not null)
        {
            try
            {
                if (!await _redis.GetDatabase().LockTakeAsync(name, marker.Token, options.Value.InFlightTimeout))
                {
                    _local.TryRemove(name, out _);
                    return null;
                }

                marker.StartRenewal(_redis.GetDatabase(), options.Value.InFlightTimeout, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogStoreUnavailable(ex);
            }
        }

        return marker;
    }

    /// <summary>Seconds until a running key's marker lapses at the latest (for <c>Retry-After</c>).</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(options.Value.InFlightTimeout.TotalSeconds));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency marker not taken in the store; this replica's marker only")]
    private partial void LogStoreUnavailable(Exception exception);

    /// <summary>A held marker; disposing releases it.</summary>
    public sealed class Marker : IAsyncDisposable
    {
        private readonly InFlightMarkers _owner;
        private readonly string _name;
        private CancellationTokenSource? _renewal;
        private Task? _renewing;
        private IDatabase? _database;

        internal Marker(InFlightMarkers owner, string name, string token)
        {
            _owner = owner;
            _name = name;
            Token = token;
        }

        internal string Token { get; }

        internal void StartRenewal(IDatabase database, TimeSpan lifetime, CancellationToken cancellationToken)
        {
            _database = database;
            _renewal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _renewing = RenewAsync(database, lifetime, _renewal.Token);
        }

        private async Task RenewAsync(IDatabase database, TimeSpan lifetime, CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(lifetime / 3, cancellationToken);
                    await database.LockExtendAsync(_name, Token, lifetime);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or RedisException or TimeoutException)
            {
                // Cancelled when the request ends; a failed renewal only lets a repeat in early (then it waits on the database).
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_renewal is not null)
            {
                await _renewal.CancelAsync();
                await _renewing!;
                _renewal.Dispose();
                try
                {
                    await _database!.LockReleaseAsync(_name, Token);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // It lapses by itself within the timeout.
                }
            }

            _owner._local.TryRemove(_name, out _);
        }
    }
}
