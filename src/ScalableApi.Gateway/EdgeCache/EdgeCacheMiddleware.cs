using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using ScalableApi.Gateway.Consistency;
using ScalableApi.Platform.Observability;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>
/// Answers anonymous GET/HEAD on cached routes from memory, goes upstream once per cold key, and purges when a write
/// passes (before the write's response leaves: a read after it never sees the old value): the surrogate keys the
/// service named in <see cref="SurrogateKeyPurgeHeader"/>, or everything when it named none.
/// </summary>
internal sealed partial class EdgeCacheMiddleware(
    RequestDelegate next,
    EdgeCacheStore store,
    EdgeCachePurgeChannel channel,
    EdgeCacheMetrics metrics,
    IOptions<EdgeCacheOptions> options,
    TimeProvider time,
    IServiceProvider services)
{
    public const string SurrogateKeyHeader = "Surrogate-Key";

    /// <summary>The keys a write changed, from the service that made it; never shown to the client.</summary>
    public const string SurrogateKeyPurgeHeader = "Surrogate-Key-Purge";

    // Headers that belong to one transfer, not to the stored representation; and those this gateway sets on every
    // response itself, over whatever the service sent (the request id, the platform's security headers): a hit
    // would only copy them to have them replaced when it starts.
    private static readonly HashSet<string> NotStored = new(StringComparer.OrdinalIgnoreCase)
    {
        SurrogateKeyHeader, Platform.Http.PublicCaching.SurrogateControlHeader, HeaderNames.Age, HeaderNames.Date, HeaderNames.TransferEncoding, HeaderNames.Connection,
        HeaderNames.KeepAlive, HeaderNames.ContentLength, HeaderNames.SetCookie,
        RequestIdMiddleware.HeaderName, HeaderNames.XContentTypeOptions, HeaderNames.XFrameOptions, "Referrer-Policy",
        HeaderNames.ContentSecurityPolicy, "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy",
        "Cross-Origin-Resource-Policy",
    };

    /// <summary>An <see cref="HttpContext.Items"/> key: this request fills the cache for a signed-in reader, anonymously.</summary>
    public const string AnonymousFill = "EdgeCache.AnonymousFill";

    private readonly EdgeCacheOptions _options = options.Value;

    // Signed-in reads are answered from memory only when the gateway knows each user's recent writes (shared store).
    private readonly ConsistencyTokenStore? _writes = services.GetService<IOptions<ConsistencyTokenOptions>>()?.Value.Enabled == true
        ? services.GetService<ConsistencyTokenStore>()
        : null;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (!read)
        {
            // Only a write the proxy forwards can change what a service answers; the gateway's own endpoints
            // (the dashboard's sign-in) change nothing public.
            return HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method) || !Purges(request.Path)
                || context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is null
                ? next(context)
                : WriteAsync(context);
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId is not { } route || !Caches(_options, route, request.Path))
        {
            return next(context);
        }

        // A cookie or a client's own consistency token makes a read personal; a bearer token alone need not (below).
        if (request.Headers.ContainsKey(HeaderNames.Cookie) || request.Headers.ContainsKey(Platform.Data.Consistency.ConsistencyToken.HeaderName))
        {
            metrics.Request(route, "bypass");
            return next(context);
        }

        if (request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            return _writes is not null && context.User.Identity?.IsAuthenticated == true && context.User.FindFirst(TokenClaims.Subject)?.Value is { } user
                ? SignedInReadAsync(context, route, user, _writes)
                : BypassAsync(context, route);
        }

        return ReadAsync(context, route);
    }

    private Task BypassAsync(HttpContext context, string route)
    {
        metrics.Request(route, "bypass");
        return next(context);
    }


    private async Task ReadAsync(HttpContext context, string route)
    {
        var request = context.Request;
        var key = request.Path.Value + request.QueryString.Value;
        var entry = store.Find(key, request.Headers);
        if (entry is not null && Servable(entry, time.GetUtcNow(), channel, _options))
        {
            metrics.Request(route, "hit");
            await ServeAsync(context, entry, time.GetUtcNow());
            return;
        }

        if (HttpMethods.IsHead(request.Method))
        {
            metrics.Request(route, "miss");
            await next(context); // a HEAD has no body to store; the next GET fills the entry it will be served from
            return;
        }

        if (!store.TryLead(key, out var leader, out var wait))
        {
            await wait.WaitAsync(context.RequestAborted);
            entry = store.Find(key, request.Headers) ?? entry;
            if (entry is not null && Servable(entry, time.GetUtcNow(), channel, _options))
            {
                metrics.Request(route, "hit");
                await ServeAsync(context, entry, time.GetUtcNow());
                return;
            }
        }

        try
        {
            await FetchAsync(context, route, key, entry, leader);
        }
        finally
        {
            store.Release(key, leader);
        }
    }

    /// <summary>
    /// Upstream with the response held back; stored, answered 304, or replaced by a stale copy on failure. With
    /// <paramref name="answer"/> false nothing reaches the client: the response is left as it was before, and what
    /// was stored (null: nothing) is returned for the caller to decide.
    /// </summary>
    private async Task<CachedResponse?> FetchAsync(HttpContext context, string route, string key, CachedResponse? stale, TaskCompletionSource? leader, bool answer = true)
    {
        var request = context.Request;
        var response = context.Response;
        var generation = store.Generation;
        var started = time.GetUtcNow();
        // The client's validators are ours to answer: upstream is asked for the full 200, which can be stored.
        var ifNoneMatch = request.Headers.IfNoneMatch;
        request.Headers.Remove(HeaderNames.IfNoneMatch);
        request.Headers.Remove(HeaderNames.IfModifiedSince);
        var before = new HashSet<string>(response.Headers.Keys, StringComparer.OrdinalIgnoreCase);

        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var capture = new ResponseCapture(answer ? original : new StreamResponseBodyFeature(Stream.Null), _options.MaxEntryBytes);
        context.Features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await next(context);
            await capture.FinishAsync();
        }
        finally
        {
            context.Features.Set(original);
        }

        void Undo()
        {
            foreach (var added in response.Headers.Keys.Where(name => !before.Contains(name)).ToList())
            {
                response.Headers.Remove(added);
            }

            response.StatusCode = StatusCodes.Status200OK;
            request.Headers.IfNoneMatch = ifNoneMatch;
        }

        if (capture.PassedThrough)
        {
            metrics.Request(route, "miss");
            if (!answer)
            {
                Undo();
            }

            return null;
        }

        var now = time.GetUtcNow();
        var failed = response.StatusCode >= StatusCodes.Status500InternalServerError || context.GetForwarderErrorFeature() is not null;
        if (!answer && failed)
        {
            Undo();
            return null;
        }

        if (failed && stale is not null && now <= stale.StaleUntil && store.Alive(stale))
        {
            metrics.Request(route, "stale");
            foreach (var added in response.Headers.Keys.Where(name => !before.Contains(name)).ToList())
            {
                response.Headers.Remove(added);
            }

            await ServeAsync(context, stale, now);
            return null;
        }

        metrics.Request(route, "miss");
        CachedResponse? stored = null;
        if (response.StatusCode == StatusCodes.Status200OK && Freshness.SharedLifetime(response.Headers) is { } lifetime)
        {
            var fresh = lifetime < _options.MaxTtl ? lifetime : _options.MaxTtl;
            stored = new CachedResponse
            {
                Headers = [.. response.Headers.Where(h => !before.Contains(h.Key) && !NotStored.Contains(h.Key))],
                Body = capture.Body.ToArray(),
                ETag = response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
                Stored = now,
                FreshUntil = now + fresh,
                StaleUntil = now + fresh + _options.StaleIfError,
                Generation = generation,
                KeySlots = EdgeCacheStore.Slots(response.Headers[SurrogateKeyHeader].ToString()),
            };
            store.Store(key, Freshness.VaryHeaders(response.Headers), request.Headers, stored, started);
        }

        // Waiting requests may take the entry now, without waiting for this client to read its copy.
        store.Release(key, leader);
        if (!answer)
        {
            Undo();
            return stored;
        }

        if (stored is not null && Freshness.Matches(ifNoneMatch, stored.ETag))
        {
            NotModified(response);
            return stored;
        }

        response.ContentLength = capture.Body.Length;
        await original.Stream.WriteAsync(capture.Body, context.RequestAborted);
        return stored;
    }

    /// <summary>The stored 200 (or a 304 for a matching <c>If-None-Match</c>), with its <c>Age</c> at <paramref name="now"/>.</summary>
    internal static Task ServeAsync(HttpContext context, CachedResponse entry, DateTimeOffset now)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        foreach (var (name, value) in entry.Headers)
        {
            response.Headers[name] = value;
        }

        response.Headers.Age = entry.AgeSeconds(now).ToString(CultureInfo.InvariantCulture);
        if (Freshness.Matches(context.Request.Headers.IfNoneMatch, entry.ETag))
        {
            NotModified(response);
            return Task.CompletedTask;
        }

        response.ContentLength = entry.Body.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(entry.Body, context.RequestAborted).AsTask();
    }

    private static void NotModified(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status304NotModified;
        response.ContentLength = null;
        response.Headers.Remove(HeaderNames.ContentType);
    }

    /// <summary>Fresh, and young enough to be sure no other gateway's purge was missed.</summary>
    internal static bool Servable(CachedResponse entry, DateTimeOffset now, EdgeCachePurgeChannel channel, EdgeCacheOptions options) =>
        now < entry.FreshUntil && (channel.Connected || now - entry.Stored <= options.MaxAgeWhilePurgeChannelDown);

    /// <summary>Whether the route (by id, or a path prefix starting with <c>/</c>) is one the options cache. A loop: no closure per request.</summary>
    internal static bool Caches(EdgeCacheOptions options, string route, PathString path)
    {
        foreach (var r in options.Routes)
        {
            if (r.StartsWith('/') ? path.StartsWithSegments(r, StringComparison.OrdinalIgnoreCase) : string.Equals(r, route, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
