using Microsoft.Extensions.Caching.Hybrid;
using ScalableApi.Platform.Caching;
using ZiggyCreatures.Caching.Fusion;

namespace ScalableApi.Users.Accounts;

/// <summary>
/// Public profiles through the platform cache (key <c>user:{id}</c>; no tag, which would cost a second lookup per
/// hit). Every write of a user (register, PATCH, DELETE, create-admin) replaces the entry, on every replica (Redis and
/// the backplane), by what the primary now holds, or by "not found" (a tombstone): replacing rather than evicting
/// means the next read cannot refill the profile from a standby that has not replayed the write yet.
/// </summary>
internal sealed class UserCache(HybridCache cache, IFusionCache fusion, UserStore store)
{
    public static string UserKey(long id) => string.Create(CultureInfo.InvariantCulture, $"user:{id}");

    /// <summary>The public profile; past the cache when the request's consistency token is newer than the entry.</summary>
    public ValueTask<PublicUserResponse?> GetPublicAsync(long id, ReadConsistency consistency, CancellationToken cancellationToken) =>
        cache.GetOrCreateConsistentAsync(
            UserKey(id),
            (store, id),
            static async (state, read, ct) => await state.store.FindAsync(state.id, read, ct) is { } user ? PublicUserResponse.From(user) : null,
            consistency,
            cancellationToken);

    /// <summary>
    /// After any write of user <paramref name="id"/>: <paramref name="user"/> as it now is, or null when deleted. Two
    /// writes racing (two PATCHes of one user) cannot leave the older profile cached: the primary is read back and what
    /// it holds put last (<see cref="ConsistentCaching.SetWrittenAsync{T}"/>).
    /// </summary>
    public ValueTask ChangedAsync(long id, User? user, CancellationToken cancellationToken) =>
        fusion.SetWrittenAsync(
            UserKey(id),
            user is null ? null : PublicUserResponse.From(user),
            async ct => await store.FindAsync(id, ReadConsistency.Latest, ct) is { } now ? PublicUserResponse.From(now) : null,
            static (a, b) => Equals(a, b),
            cancellationToken);
}
