using Microsoft.AspNetCore.Mvc;
using Yarp.ReverseProxy.Configuration;

namespace ScalableApi.Gateway.Routing;

/// <summary>
/// A route whose metadata names <c>MaxRequestBodySize</c> (bytes) accepts bodies up to that size instead of the
/// platform's 1 MiB (the import route: NDJSON files of tens of megabytes). The platform's RequestBodyLimitMiddleware
/// reads the limit from the endpoint, so the proxied body streams through under the route's own limit.
/// </summary>
internal static class RouteBodyLimits
{
    public const string MetadataKey = "MaxRequestBodySize";

    public static ReverseProxyConventionBuilder WithRouteBodyLimits(this ReverseProxyConventionBuilder builder) =>
        builder.ConfigureEndpoints((endpoint, route) =>
        {
            if (Limit(route) is { } limit)
            {
                endpoint.WithMetadata(new RequestSizeLimitAttribute(limit));
            }
        });

    internal static long? Limit(RouteConfig route)
    {
        if (route.Metadata?.TryGetValue(MetadataKey, out var text) != true)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? limit
            : throw new InvalidOperationException($"Route '{route.RouteId}': metadata {MetadataKey} must be a positive number of bytes, not '{text}'.");
    }
}
