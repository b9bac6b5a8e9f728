using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using StackExchange.Redis;

namespace ScalableApi.Platform.Security;

/// <summary>Configuration section <c>Auth:Revocation</c>.</summary>
public sealed class RevocationOptions
{
    public const string SectionName = "Auth:Revocation";

    /// <summary>How long a deleted user's marker lives: at least the longest access token lifetime (1 h by default).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "must be from 1 second to 30 days")]
    public TimeSpan MarkerLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Prefix of the markers' keys and channel in the store.</summary>
    public string KeyPrefix { get; set; } = "";
}

/// <summary>
/// Tokens of deleted users stop working at once on every service, not after their expiry. Before the users service
/// answers a DELETE with 204 it writes a marker <c>revoked:user:{id}</c> in the store and publishes the id; every
/// process checks each validated token against it. Writes (anything but GET/HEAD/OPTIONS) ask the store itself, so no
/// write with the token is accepted anywhere once the 204 has been sent; reads use a per-replica set fed by the
/// channel (microseconds late, no store round trip per read). With the store unreachable a write falls back to that
/// set (fail open to the last known state, logged): refusing every signed-in write while the store is down would turn a
/// store outage into a full write outage, and the deleted user's own writes mostly fail anyway (their rows are gone).
/// </summary>
public sealed partial class TokenRevocations(IConnectionMultiplexer redis, IOptions<RevocationOptions> options, TimeProvider time, ILogger<TokenRevocations> logger)
    : IHostedService
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _revoked = new();
    private long _lastFailureLog;

    private RedisKey Key(long userId) => options.Value.KeyPrefix + string.Create(CultureInfo.InvariantCulture, $"revoked:user:{userId}");

    private RedisChannel Channel => RedisChannel.Literal(options.Value.KeyPrefix + "revoked:users");

    /// <summary>Marks the user's tokens revoked everywhere; returns once the store has the marker.</summary>
    public async Task RevokeUserAsync(long userId)
    {
        Remember(userId);
        var store = redis.GetDatabase();
        await store.StringSetAsync(Key(userId), "1", options.Value.MarkerLifetime);
        await redis.GetSubscriber().PublishAsync(Channel, userId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>JwtBearer's OnTokenValidated: fails the authentication of a revoked user's token (401).</summary>
    internal async Task CheckAsync(TokenValidatedContext context)
    {
        if (context.Principal?.GetUserId() is not { } userId)
        {
            return;
        }

        if (IsRevokedLocally(userId) || (!IsRead(context.Request.Method) && await IsRevokedInStoreAsync(userId)))
        {
            context.Fail("The token's user has been deleted.");
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
            {
                if (long.TryParse(message.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    Remember(id);
                }
            });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The store is down at start: writes still ask it (once it is back); the subscription is retried by the client.
            LogStoreUnavailable(ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private void Remember(long userId) => _revoked[userId] = time.GetUtcNow() + options.Value.MarkerLifetime;

    private bool IsRevokedLocally(long userId)
    {
        if (!_revoked.TryGetValue(userId, out var until))
        {
            return false;
        }

        if (until > time.GetUtcNow())
        {
            return true;
        }

        _revoked.TryRemove(userId, out _);
        return false;
    }

    private async Task<bool> IsRevokedInStoreAsync(long userId)
    {
        try
        {
            if (await redis.GetDatabase().KeyExistsAsync(Key(userId)))
            {
                Remember(userId);
                return true;
            }

            return false;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            var now = Environment.TickCount64;
            if (now - Interlocked.Read(ref _lastFailureLog) > 10_000)
            {
                Interlocked.Exchange(ref _lastFailureLog, now);
                LogStoreUnavailable(ex);
            }

            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token revocation: the store is unavailable; tokens are checked against this replica's known revocations only")]
    private partial void LogStoreUnavailable(Exception ex);
}
