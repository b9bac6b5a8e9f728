using Microsoft.Net.Http.Headers;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// Public reads may be cached by a CDN for a short while and served stale while it revalidates: a product page
/// tolerates 30 s of staleness, and revalidation is cheap thanks to ETags.
/// </summary>
internal static class PublicCaching
{
    public const string CacheControl = "public, max-age=30, stale-while-revalidate=60";

    public static void Apply(HttpResponse response) => response.Headers[HeaderNames.CacheControl] = CacheControl;
}
