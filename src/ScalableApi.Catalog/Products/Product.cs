namespace ScalableApi.Catalog.Products;

/// <summary>
/// A product as the API shows it. The row version is not in the body: clients see it as the <c>ETag</c> header.
/// </summary>
public sealed record Product(
    long Id,
    string Name,
    string Description,
    decimal Price,
    int Stock,
    DateTime CreatedAt,
    DateTime UpdatedAt);
