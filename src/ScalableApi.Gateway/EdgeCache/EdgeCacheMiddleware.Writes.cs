using Microsoft.AspNetCore.Http.Timeouts;
using Yarp.ReverseProxy.Forwarder;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>Writes: the purge before the response leaves, by the service's keys or of everything.</summary>
internal sealed partial class EdgeCacheMiddleware
{
    /// <summary>
    /// A write purges this cache and tells the other gateways before its response starts: the keys the service said
    /// it changed, or everything when it said nothing (an unknown or older service, a timeout). Only a 4xx is known to
    /// have changed nothing; a 5xx or a timeout may have committed, so it purges too.
    /// </summary>
    private async Task WriteAsync(HttpContext context)
    {
        var purged = 0;
        async Task PurgeOnceAsync(string[] keys)
        {
            if (Interlocked.Exchange(ref purged, 1) == 0)
            {
                store.Purge(keys, "local");
                await channel.PublishAsync(keys);
            }
        }

        var response = context.Response;
        // A response with a body starts while the proxy copies it: purge then, before its headers leave.
        response.OnStarting(() => ChangedNothing(response.StatusCode) ? Task.CompletedTask : PurgeOnceAsync(TakeKeys(response)));
        // A client that leaves does not cancel the write upstream (the route's timeout still does): cancelled there,
        // it may have committed without its answer, and then what it changed is unknown and everything is purged; let
        // through, it answers with its keys. Clients leave mid-write all the time at scale (and every benchmark run
        // ends so): each of them emptied the whole cache.
        var clientAborted = context.RequestAborted;
        context.RequestAborted = context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken ?? CancellationToken.None;
        try
        {
            await next(context);
        }
        finally
        {
            context.RequestAborted = clientAborted;
            // The purge already ran at the response's start, or nothing was sent (a response without a body, a
            // DELETE's 204, starts only after the pipeline), or the client left while it was copied. By the service's
            // keys when they reached us (they come with its headers, before its body: they say what it changed even
            // if the body never reached the client); everything when no answer of its did (what it changed is unknown).
            var keys = TakeKeys(response);
            var answered = keys.Length > 0 || context.GetForwarderErrorFeature() is null;
            if (!answered || !ChangedNothing(response.StatusCode))
            {
                await PurgeOnceAsync(answered ? keys : []);
            }
        }
    }

    /// <summary>
    /// The keys the service named (none: everything). The header itself goes at the response's start, with
    /// <c>Surrogate-Key</c>, for every response (<see cref="EdgeCacheExtensions.UseEdgeCache"/>).
    /// </summary>
    private static string[] TakeKeys(HttpResponse response) =>
        response.Headers[SurrogateKeyPurgeHeader].ToString()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool ChangedNothing(int status) => status is >= 400 and < 500;

    private bool Purges(PathString path) =>
        !_options.NonPurgingWritePaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}
