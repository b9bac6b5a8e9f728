using ScalableApi.Catalog.Products;
using ScalableApi.Contracts;

namespace ScalableApi.Bench.Micro;

/// <summary>Products shaped like the benchmark's seeded catalog (same name and description lengths).</summary>
internal static class SampleProducts
{
    private static readonly DateTime Base = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static Product Product(long id) => new(
        id,
        $"Product {id}",
        $"Description of product {id}: a sturdy, well-made item that does what it says on the box.",
        (((id * 37) % 10000) + 99) / 100m,
        (int)((id * 13) % 500),
        Base.AddSeconds(id),
        Base.AddSeconds(id));

    /// <summary>A full list page (the default limit, 20) with a next cursor, as GET /api/products returns it.</summary>
    public static Page<Product> Page(long firstId) =>
        new([.. Enumerable.Range(0, 20).Select(i => Product(firstId - i))], "OTk4MQ");

    /// <summary>
    /// The catalog caches its internal <c>ProductRow</c> (not visible here); this is the same shape: eight
    /// properties, two strings, the rest numbers.
    /// </summary>
    public static CachedProduct Row(long id)
    {
        var p = Product(id);
        return new CachedProduct
        {
            Id = id,
            Name = p.Name,
            Description = p.Description,
            PriceCents = (long)(p.Price * 100),
            Stock = p.Stock,
            Version = 1,
            CreatedAt = new DateTimeOffset(p.CreatedAt).ToUnixTimeMilliseconds(),
            UpdatedAt = new DateTimeOffset(p.UpdatedAt).ToUnixTimeMilliseconds(),
        };
    }
}

/// <summary>Mirror of the catalog's internal <c>ProductRow</c>: what its cache holds per product.</summary>
public sealed class CachedProduct
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public long PriceCents { get; set; }

    public long Stock { get; set; }

    public long Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}
