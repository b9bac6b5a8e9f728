namespace ScalableApi.Gateway.Tests.EdgeCache;

/// <summary>
/// A real upstream (Kestrel on loopback) for <c>/api/products/cached/{id}</c>: answers the current value of the
/// product with the Cache-Control it is told to send, an ETag of the value, and can be made slow or failing.
/// A PUT replaces the value, as the catalog does (a DELETE, answered 204, makes it <c>gone-{id}</c>), and names the surrogate keys it changed (unless told not to, as an
/// older service would not). <c>/api/products/cached</c> is the list page (key <c>products</c>) of the values written.
/// </summary>
internal sealed class CacheableUpstream : IAsyncDisposable
{
    private readonly Dictionary<string, string> _values = [];

    private CacheableUpstream(UpstreamServer server) => Server = server;

    public UpstreamServer Server { get; }

    /// <summary>API requests received, the number the cache is there to keep down.</summary>
    public int Requests => Server.Requests;

    public string CacheControl { get; set; } = "public, max-age=30, stale-while-revalidate=60";

    /// <summary>When set, the items' <c>Surrogate-Control</c> (the edge's own lifetime, as the platform sends it).</summary>
    public string? SurrogateControl { get; set; }

    /// <summary>How long each GET takes (a miss in flight while a write commits, 100 misses at once).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, GETs answer 503 (every replica down behind it).</summary>
    public bool Failing { get; set; }

    public int BodyPadding { get; set; }

    /// <summary>How long a PUT takes to answer once it has committed (its client may leave meanwhile).</summary>
    public TimeSpan WriteDelay { get; set; }

    /// <summary>When false, writes answer without <c>Surrogate-Key-Purge</c> (a service that does not know it).</summary>
    public bool NamesPurgeKeys { get; set; } = true;

    /// <summary>
    /// A miss in flight while a write commits: a GET of product <paramref name="id"/> through <paramref name="reader"/>
    /// reaches this upstream and reads the old value (<c>v0-{id}</c>), the PUT of <c>v1-{id}</c> through
    /// <paramref name="writer"/> commits, and only then does the GET answer, with the old value.
    /// </summary>
    public async Task MissInFlightWhileAPutCommitsAsync(HttpClient reader, HttpClient writer, string id)
    {
        var before = Requests;
        Delay = TimeSpan.FromMilliseconds(500);
        var slowRead = reader.GetStringAsync($"/api/products/cached/{id}");
        await Eventually.HoldsAsync(() => Task.FromResult(Requests == before + 1), "the read reached the upstream");
        using (var put = await writer.PutAsync($"/api/products/cached/{id}", new StringContent($"v1-{id}", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal($"v0-{id}", await slowRead);
        Delay = TimeSpan.Zero;
    }

    public static async Task<CacheableUpstream> StartAsync()
    {
        CacheableUpstream? upstream = null;
        var server = await UpstreamServer.StartAsync("catalog", app =>
        {
            app.MapGet("/api/products/cached/{id}", async (string id, HttpContext context) =>
            {
                await upstream!.AnswerAsync(id, context);
            });
            app.MapGet("/api/products/cached", async (HttpContext context) =>
            {
                string list;
                lock (upstream!._values)
                {
                    list = "list:" + string.Join(',', upstream._values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Value));
                }

                context.Response.Headers.CacheControl = upstream.CacheControl;
                context.Response.Headers["Surrogate-Key"] = "products";
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(list);
            });
            app.MapPut("/api/products/cached/{id}", async (string id, HttpRequest request) =>
            {
                if (upstream!.NamesPurgeKeys)
                {
                    request.HttpContext.Response.Headers["Surrogate-Key-Purge"] = $"product:{id} products";
                }

                var value = await new StreamReader(request.Body).ReadToEndAsync();
                lock (upstream!._values)
                {
                    upstream._values[id] = value;
                }

                if (upstream.WriteDelay > TimeSpan.Zero)
                {
                    await Task.Delay(upstream.WriteDelay); // committed: not cancelled by the request, as a commit is not
                }

                return Results.Text(value);
            });
            // A delete answers 204: no body, so its response starts only after the gateway's pipeline has run.
            app.MapDelete("/api/products/cached/{id}", (string id, HttpContext context) =>
            {
                if (upstream!.NamesPurgeKeys)
                {
                    context.Response.Headers["Surrogate-Key-Purge"] = $"product:{id} products";
                }

                lock (upstream!._values)
                {
                    upstream._values[id] = $"gone-{id}";
                }

                return Results.NoContent();
            });
        });
        upstream = new CacheableUpstream(server);
        return upstream;
    }

    public string Value(string id)
    {
        lock (_values)
        {
            return _values.TryGetValue(id, out var value) ? value : $"v0-{id}";
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task AnswerAsync(string id, HttpContext context)
    {
        // Read before the delay, as a database read would: a write landing during the delay is not in this answer.
        var value = Value(id) + new string('.', BodyPadding);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }

        if (Failing)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        context.Response.Headers.CacheControl = CacheControl;
        if (SurrogateControl is not null)
        {
            context.Response.Headers["Surrogate-Control"] = SurrogateControl;
        }

        context.Response.Headers.Vary = "Authorization";
        context.Response.Headers.ETag = $"\"{value.GetHashCode(StringComparison.Ordinal):x}\"";
        // An item is its own key; "products" is the key of the list pages it appears on, purged by every product write.
        context.Response.Headers["Surrogate-Key"] = $"product:{id}";
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(value);
    }
}
