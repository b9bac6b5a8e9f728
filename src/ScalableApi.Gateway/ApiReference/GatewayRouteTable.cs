using Microsoft.AspNetCore.Routing.Template;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;

namespace ScalableApi.Gateway.ApiReference;

/// <summary>A proxied route as the API reference needs it: which cluster, which methods, which policy guards it.</summary>
internal sealed record ProxiedRoute(string RouteId, string ClusterId, TemplateMatcher Matcher, IReadOnlySet<string>? Methods, string? AuthorizationPolicy)
{
    /// <summary>YARP's name for "the default policy": any signed-in caller.</summary>
    public const string DefaultPolicy = "default";

    public static ProxiedRoute? From(RouteConfig route)
    {
        if (route.ClusterId is not { Length: > 0 } cluster || route.Match.Path is not { Length: > 0 } path)
        {
            return null;
        }

        var matcher = new TemplateMatcher(TemplateParser.Parse(path.TrimStart('/')), []);
        var methods = route.Match.Methods is { Count: > 0 } list ? new HashSet<string>(list, StringComparer.OrdinalIgnoreCase) : null;
        var policy = string.Equals(route.AuthorizationPolicy, "anonymous", StringComparison.OrdinalIgnoreCase) ? null : route.AuthorizationPolicy;
        return new ProxiedRoute(route.RouteId, cluster, matcher, methods, policy);
    }

    public bool Matches(string method, PathString samplePath) =>
        (Methods is null || Methods.Contains(method)) && Matcher.TryMatch(samplePath, []);
}

/// <summary>
/// The gateway's own routing table, read from YARP's live state: an operation of a service belongs in the reference
/// only when a client can reach it through the gateway, i.e. when a route to that service's cluster matches its
/// method and path.
/// </summary>
internal sealed class GatewayRouteTable(IProxyStateLookup proxyState)
{
    public IReadOnlyList<ProxiedRoute> Routes() =>
        [.. proxyState.GetRoutes().Select(r => ProxiedRoute.From(r.Config)).OfType<ProxiedRoute>()];

    public IReadOnlyList<string> Clusters() => [.. proxyState.GetClusters().Select(c => c.ClusterId).Order(StringComparer.Ordinal)];

    /// <summary>The first route of <paramref name="clusterId"/> that serves <paramref name="method"/> on the OpenAPI path template.</summary>
    public static ProxiedRoute? Find(IReadOnlyList<ProxiedRoute> routes, string clusterId, string method, string pathTemplate)
    {
        var sample = new PathString(SamplePath(pathTemplate));
        return routes.FirstOrDefault(r => string.Equals(r.ClusterId, clusterId, StringComparison.OrdinalIgnoreCase) && r.Matches(method, sample));
    }

    /// <summary><c>/api/posts/{id}/comments</c> → <c>/api/posts/1/comments</c>: a concrete path the route patterns can be tried on.</summary>
    internal static string SamplePath(string template)
    {
        var text = new System.Text.StringBuilder(template.Length);
        var depth = 0;
        foreach (var c in template)
        {
            if (c == '{')
            {
                if (depth++ == 0)
                {
                    text.Append('1');
                }
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
