using System.Collections.Frozen;
using System.Security.Cryptography;

namespace ScalableApi.Gateway.Dashboard;

/// <summary>
/// The page's static files, embedded in the gateway assembly (<c>Dashboard/wwwroot/**</c>, see the csproj): no build
/// step, no CDN, nothing on disk to deploy. Read once at start-up; each answered with a strong ETag.
/// </summary>
internal sealed class DashboardAssets
{
    private const string ResourcePrefix = "ScalableApi.Gateway.Dashboard.wwwroot.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".LICENSE"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, Asset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[ResourcePrefix.Length..];
            var type = ContentTypes.FirstOrDefault(t => file.EndsWith(t.Key, StringComparison.Ordinal)).Value ?? "application/octet-stream";
            var bytes = copy.ToArray();
            assets[file] = new Asset(bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>A file by its name under wwwroot, folders as dots (<c>vendor.uPlot.min.css</c>), as the resource names have them.</summary>
    public IResult Serve(string file, HttpContext context)
    {
        if (!_assets.TryGetValue(file, out var asset))
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.ETag = asset.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        return context.Request.Headers.IfNoneMatch == asset.ETag
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(asset.Bytes, asset.ContentType);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
