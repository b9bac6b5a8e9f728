namespace ScalableApi.Catalog;

/// <summary>
/// The surrogate keys of the catalog's public reads (the gateway's edge cache drops a response when one of its keys
/// is purged), and the keys each write changes. One place, so a read and the writes that change it agree:
/// <list type="bullet">
/// <item><c>product:{id}</c>: one product. Purged by its PUT and DELETE.</item>
/// <item><c>products</c>: every list page (a search or a price range may show any product). Purged by every
/// product write, and by each committed batch of an import job (no write through a gateway carries that).</item>
/// <item><c>jobs</c>: named by the import's POST, which changes no public read (the job's batches do, as they
/// commit); nothing public carries it, so it purges nothing, where a write naming no key would purge everything.</item>
/// </list>
/// </summary>
internal static class CatalogEdgeKeys
{
    public const string Products = "products";

    public const string Jobs = "jobs";

    public static string Product(long id) => string.Create(CultureInfo.InvariantCulture, $"product:{id}");

    /// <summary>A product write: the product and every list page.</summary>
    public static string ProductChanged(long id) => string.Join(' ', Product(id), Products);
}
