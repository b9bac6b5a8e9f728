using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ScalableApi.Gateway.Aggregation;

namespace ScalableApi.Gateway.ApiReference;

/// <summary>
/// The merged OpenAPI document: each cluster's <c>/openapi/v1.json</c> fetched through the proxy's own health state and
/// balancing (one healthy replica per cluster; every replica of a service serves the same document), plus the gateway's
/// own endpoints, merged by <see cref="ApiDocumentMerger"/> and kept for <see cref="ApiReferenceOptions.CacheDuration"/>.
/// A service that does not answer in time (none healthy; or a cold replica, whose first document takes seconds to
/// generate) is taken from its last good document when there is one; a merge missing a service is served but not
/// kept, so the next request asks again.
/// </summary>
internal sealed partial class GatewayApiDocument(
    UpstreamClient upstream,
    GatewayRouteTable routeTable,
    [FromKeyedServices("v1")] IOpenApiDocumentProvider ownDocument,
    IOptions<ApiReferenceOptions> options,
    TimeProvider time,
    ILogger<GatewayApiDocument> logger)
{
    public const string Path = "/openapi/gateway.json";
    private const string ServicePath = "/openapi/v1.json";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SourceDocument> _lastGood = new(StringComparer.Ordinal);
    private Cached? _cached;

    public async Task<string> GetAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && fresh.Until > time.GetUtcNow())
        {
            return fresh.Json;
        }

        // One merge at a time: a page load asks once, not once per replica per waiting request.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } other && other.Until > time.GetUtcNow())
            {
                return other.Json;
            }

            var clusters = routeTable.Clusters();
            var fetched = await Task.WhenAll(clusters.Select(c => FetchAsync(context, c, cancellationToken)));
            var complete = fetched.All(f => f is not null);
            for (var i = 0; i < clusters.Count; i++)
            {
                if (fetched[i] is { } good)
                {
                    _lastGood[clusters[i]] = good;
                }
                else
                {
                    fetched[i] = _lastGood.GetValueOrDefault(clusters[i]);
                }
            }

            var own = JsonNode.Parse(await (await ownDocument.GetOpenApiDocumentAsync(cancellationToken))
                .SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken))!.AsObject();
            List<SourceDocument> sources = [new("gateway", null, own), .. fetched.OfType<SourceDocument>()];
            var json = ApiDocumentMerger.Merge(sources, routeTable.Routes(), "ScalableApi").ToJsonString();
            if (complete)
            {
                _cached = new Cached(json, time.GetUtcNow() + options.Value.CacheDuration);
            }

            return json;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SourceDocument?> FetchAsync(HttpContext context, string clusterId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.FetchTimeout);
        try
        {
            using var response = await upstream.GetAsync(context, clusterId, ServicePath, timeout.Token);
            if (response is not { IsSuccessStatusCode: true })
            {
                LogMissing(clusterId, response is null ? "no healthy destination" : $"status {(int)response.StatusCode}");
                return null;
            }

            var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token)) as JsonObject;
            return document is null ? null : new SourceDocument(clusterId, clusterId, document);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogMissing(clusterId, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API reference without cluster {ClusterId}: {Reason}")]
    private partial void LogMissing(string clusterId, string reason);

    private sealed record Cached(string Json, DateTimeOffset Until);
}
