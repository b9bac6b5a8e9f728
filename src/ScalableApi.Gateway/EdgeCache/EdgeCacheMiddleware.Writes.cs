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
        try
        {
            await next(context);
        }
        finally
        {
            if (!response.HasStarted)
            {
                // Nothing sent yet: a response without a body (a DELETE's 204) starts only after the pipeline, and
                // the client may be gone by then, so purge now. By the service's keys when it answered; everything
                // when no answer of its reached us (what it changed is unknown).
                var answered = context.GetForwarderErrorFeature() is null;
                var keys = TakeKeys(response);
                if (!answered || !ChangedNothing(response.StatusCode))
                {
                    await PurgeOnceAsync(answered ? keys : []);
                }
            }
            else if (!ChangedNothing(response.StatusCode))
            {
                await PurgeOnceAsync([]); // started without passing OnStarting's purge: what it changed is unknown
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
