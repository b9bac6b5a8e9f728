using ScalableApi.Catalog.Common;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// A product as the API shows it. The row version is not in the body: clients see it as the <c>ETag</c> header.
/// </summary>
internal sealed record Product(
    long Id,
    string Name,
    string Description,
    decimal Price,
    int Stock,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>
/// A <c>products</c> row as Dapper reads it. Integers are <see cref="long"/> because SQLite hands every
/// INTEGER back as Int64; the SQL aliases the snake_case columns to these names.
/// </summary>
internal sealed class ProductRow
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public long PriceCents { get; set; }

    public long Stock { get; set; }

    public long Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public string ETag => ProductETag.Format(Id, Version);

    public Product ToProduct() => new(
        Id,
        Name,
        Description,
        Money.FromCents(PriceCents),
        checked((int)Stock),
        UnixTime.ToDateTime(CreatedAt),
        UnixTime.ToDateTime(UpdatedAt));
}
