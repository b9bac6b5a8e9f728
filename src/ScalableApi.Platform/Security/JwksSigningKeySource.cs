using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.Platform.Security;

/// <summary>
/// Caches the users service's JWKS. An unknown <c>kid</c> (a key rotated in since the last fetch) triggers
/// a refetch, throttled so forged kids cannot turn every request into an HTTP call. What it fetches is another
/// API's answer and is checked before it is trusted (OWASP API10): at most <see cref="MaxResponseBytes"/>, no
/// redirect followed, only ES256 verification keys kept, and a set without one never replaces the last good set.
/// </summary>
public sealed partial class JwksSigningKeySource(
    HttpClient http,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<JwksSigningKeySource> logger) : ISigningKeySource
{
    public const string HttpClientName = "jwks";

    /// <summary>
    /// Largest JWKS accepted: a P-256 public key is about 200 bytes, so this is hundreds of keys; anything bigger is
    /// not our issuer's key set and must not be buffered.
    /// </summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>Whole fetch, headers and body: a trickling body must not hold the fetch lock for long.</summary>
    internal static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(FetchTimeout);
            var json = await ReadBoundedAsync(new Uri(url), timeout.Token);
            var keys = UsableKeys(new JsonWebKeySet(json));
            if (keys.Count == 0)
            {
                // An issuer answering an empty (or all-unusable) set is broken or not ours: signing out every
                // user is worse than trusting the keys that verified tokens a moment ago.
                LogNoUsableKeys(url, _keys.Count);
                return;
            }

            _keys = keys;
            LogFetched(keys.Count, url);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ArgumentException or JsonException or InvalidDataException)
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

    /// <summary>The body of a 2xx answer from <paramref name="url"/> itself, refused beyond <see cref="MaxResponseBytes"/>.</summary>
    private async Task<string> ReadBoundedAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

        // A 3xx is a failure too (the named client follows none); and should a client follow one anyway, keys
        // from another address are not the configured issuer's.
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the JWKS answered {(int)response.StatusCode}", null, response.StatusCode);
        }

        if (response.RequestMessage?.RequestUri is { } answered && answered != url)
        {
            throw new InvalidDataException($"the JWKS request was redirected to {answered.GetLeftPart(UriPartial.Path)}");
        }

        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new InvalidDataException($"the JWKS is {response.Content.Headers.ContentLength} bytes, over {MaxResponseBytes}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxResponseBytes)
        {
            throw new InvalidDataException($"the JWKS is over {MaxResponseBytes} bytes");
        }

        return StrictUtf8.GetString(buffer, 0, length);
    }

    /// <summary>Public ES256 signing keys with an id: the only kind our tokens are validated with.</summary>
    private static List<SecurityKey> UsableKeys(JsonWebKeySet set)
    {
        var usable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in set.Keys)
        {
            if (key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve
                && key.Crv == JsonWebKeyECTypes.P256
                && !string.IsNullOrEmpty(key.Kid)
                && string.IsNullOrEmpty(key.D)
                && (string.IsNullOrEmpty(key.Use) || key.Use == JsonWebKeyUseNames.Sig)
                && (string.IsNullOrEmpty(key.Alg) || key.Alg == SecurityAlgorithms.EcdsaSha256))
            {
                usable.Add(key.Kid);
            }
        }

        return [.. set.GetSigningKeys().Where(k => k.KeyId is not null && usable.Contains(k.KeyId))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} signing keys from {Url}")]
    private partial void LogFetched(int count, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch signing keys from {Url}; keeping the cached ones")]
    private partial void LogFetchFailed(Exception exception, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The JWKS at {Url} holds no usable ES256 signing key; keeping the {Count} cached ones")]
    private partial void LogNoUsableKeys(string url, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:JwksUrl is not configured: no access token can be validated")]
    private partial void LogNoJwksUrl();
}
