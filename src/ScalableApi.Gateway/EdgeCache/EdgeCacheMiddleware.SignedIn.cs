using Microsoft.Net.Http.Headers;
using ScalableApi.Gateway.Consistency;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>Signed-in reads of public responses (docs/adr/0006, amendment #14.5).</summary>
internal sealed partial class EdgeCacheMiddleware
{
    /// <summary>
    /// A signed-in read of public data (issue 14.3, 14.5): the cached routes answer everyone alike, so the entry
    /// anonymous readers get is this user's answer too, unless one of the user's own writes of the last
    /// <see cref="ConsistencyTokenOptions.WindowSeconds"/> purged one of its keys (or everything): that write's purge
    /// may still be on its way from another gateway, so the read goes upstream with the user's consistency token, as
    /// every signed-in read did before. With no entry, the read fills one anonymously, and the user gets it only if
    /// their writes purged none of its keys. The answer stays <c>private, no-store</c>, as the service marks a
    /// signed-in read. The store failing sends the read upstream.
    /// </summary>
    private async Task SignedInReadAsync(HttpContext context, string route, string user, ConsistencyTokenStore writes)
    {
        var headers = context.Request.Headers;
        var authorization = headers.Authorization;
        // Looked up, and filled, as the anonymous read it is (entries vary by Authorization: theirs has none).
        headers.Remove(HeaderNames.Authorization);
        var key = context.Request.Path.Value + context.Request.QueryString.Value;
        var entry = store.Find(key, headers);
        var wrote = await WroteAnyAsync(writes, user, entry?.KeySlots ?? []);
        if (wrote == false)
        {
            context.Items[AnonymousFill] = true;
            context.Response.OnStarting(MakePrivate, context.Response);
            await ReadAsync(context, route);
            return;
        }

        if (entry is null && wrote == true && !HttpMethods.IsHead(context.Request.Method))
        {
            // Cold, and the user wrote lately: what the read shows is known only once it is read.
            context.Items[AnonymousFill] = true;
            var filled = await FetchAsync(context, route, key, null, null, answer: false);
            context.Items.Remove(AnonymousFill);
            if (filled is not null && await WroteAnyAsync(writes, user, filled.KeySlots) == false)
            {
                context.Response.OnStarting(MakePrivate, context.Response);
                await ServeAsync(context, filled, time.GetUtcNow());
                return;
            }
        }

        headers.Authorization = authorization;
        await BypassAsync(context, route);
    }

    /// <summary>Null when the store did not answer.</summary>
    private static async Task<bool?> WroteAnyAsync(ConsistencyTokenStore writes, string user, int[] slots)
    {
        try
        {
            return await writes.WroteAnyAsync(user, slots);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            return null;
        }
    }

    private static readonly Func<object, Task> MakePrivate = static state =>
    {
        ((HttpResponse)state).Headers.CacheControl = Platform.Http.PublicCaching.PrivateCacheControl;
        return Task.CompletedTask;
    };
}
