using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.Platform.Security;

/// <summary>
/// Caches the users service's JWKS. An unknown <c>kid</c> (a key rotated in since the last fetch) triggers
/// a refetch, throttled so forged kids cannot turn every request into an HTTP call.
/// </summary>
public sealed partial class JwksSigningKeySource(
    HttpClient http,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<JwksSigningKeySource> logger) : ISigningKeySource
{
    public const string HttpClientName = "jwks";

    private readonly SemaphoreSlim _fetchLock = new(1, 1);
    private volatile IReadOnlyList<SecurityKey> _keys = [];
    private long _lastFetchTicks; // 0: never fetched, so the first call is always stale

    public IReadOnlyList<SecurityKey> GetKeys() => _keys;

    public async ValueTask EnsureKeyAsync(string? keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        var stale = now - Interlocked.Read(ref _lastFetchTicks) > options.Value.JwksCacheDuration.Ticks;
        if (!stale && (keyId is null || HasKey(keyId)))
        {
            return;
        }

        if (!stale && now - Interlocked.Read(ref _lastFetchTicks) < options.Value.JwksRefreshMinInterval.Ticks)
        {
            return;
        }

        await _fetchLock.WaitAsync(cancellationToken);
        try
        {
            // Another request may have fetched while this one waited.
            now = time.GetUtcNow().UtcTicks;
            if (now - Interlocked.Read(ref _lastFetchTicks) < options.Value.JwksRefreshMinInterval.Ticks)
            {
                return;
            }

            await FetchAsync(cancellationToken);
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    private bool HasKey(string keyId)
    {
        foreach (var key in _keys)
        {
            if (key.KeyId == keyId)
            {
                return true;
            }
        }

        return false;
    }

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        var url = options.Value.JwksUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            Interlocked.Exchange(ref _lastFetchTicks, time.GetUtcNow().UtcTicks);
            LogNoJwksUrl();
            return;
        }

        try
        {
            var json = await http.GetStringAsync(new Uri(url), cancellationToken);
            var set = new JsonWebKeySet(json);
            _keys = [.. set.GetSigningKeys()];
            LogFetched(_keys.Count, url);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException)
        {
            // Keep the keys we had: a users-service blip must not log everybody out.
            LogFetchFailed(ex, url);
        }
        finally
        {
            // Stamped when the fetch ends, not when it starts: requests arriving meanwhile find the keys stale,
            // queue on the lock and then use what this fetch got, instead of answering 401 with no keys yet.
            Interlocked.Exchange(ref _lastFetchTicks, time.GetUtcNow().UtcTicks);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} signing keys from {Url}")]
    private partial void LogFetched(int count, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch signing keys from {Url}; keeping the cached ones")]
    private partial void LogFetchFailed(Exception exception, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:JwksUrl is not configured: no access token can be validated")]
    private partial void LogNoJwksUrl();
}
