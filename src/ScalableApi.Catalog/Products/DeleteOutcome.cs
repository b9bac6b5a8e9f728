namespace ScalableApi.Catalog.Products;

/// <summary>What a DELETE did: 204, 404, or 412 when If-Match named a version that is no longer current.</summary>
internal enum DeleteOutcome
{
    Deleted,
    NotFound,
    PreconditionFailed,
}
