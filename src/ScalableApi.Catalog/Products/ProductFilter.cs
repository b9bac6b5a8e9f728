namespace ScalableApi.Catalog.Products;

/// <summary>A checked list request: page size, keyset position and optional search and price bounds (in cents).</summary>
internal sealed record ProductFilter(int Limit, long? BeforeId, string? Search, long? MinCents, long? MaxCents);
