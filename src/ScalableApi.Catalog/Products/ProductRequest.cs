namespace ScalableApi.Catalog.Products;

/// <summary>
/// Body of POST and PUT (full replacement). Nullable so a missing field is a validation error, not a 500;
/// a missing description means an empty one. Numbers must be JSON numbers (the platform reads JSON strictly).
/// </summary>
public sealed record ProductRequest(string? Name, string? Description, decimal? Price, int? Stock)
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 5000;

    /// <summary>The name as stored: trimmed (SPEC), everything else exactly as sent.</summary>
    public string NormalizedName => (Name ?? "").Trim();
}
