using System.Data.Common;
using ScalableApi.Platform.Data;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// Read-your-writes (SPEC §2): only admins write products, and their requests are always signed. A signed-in
/// caller therefore reads from the primary and sees their own write at once; anonymous traffic, the bulk of the
/// reads, goes to a replica and tolerates its lag (milliseconds; public caching allows 30 s anyway).
/// </summary>
internal static class ReadSource
{
    public static bool NeedsPrimary(HttpContext httpContext) => httpContext.User.Identity?.IsAuthenticated == true;

    public static ValueTask<DbConnection> OpenAsync(IDatabase database, bool primary, CancellationToken cancellationToken) =>
        primary ? database.OpenWriteAsync(cancellationToken) : database.OpenReadAsync(cancellationToken);
}
