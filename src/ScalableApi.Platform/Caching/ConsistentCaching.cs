using Microsoft.Extensions.Caching.Hybrid;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Data.Consistency;
using ZiggyCreatures.Caching.Fusion;

namespace ScalableApi.Platform.Caching;

/// <summary>A cached value and the database position it is known to be current to (0: unknown).</summary>
public sealed record Positioned<T>(T Value, long Position);

/// <summary>
/// Read-your-writes through the caches (issue 14.3): an entry remembers the database position it was filled at
/// (<see cref="ReadPositions"/>), and a read whose consistency token is newer than the entry reads the database
/// instead (at least at the token), so a caller with no recent write (most signed-in traffic too) is served from
/// memory while a writer never sees an entry from before their write, whichever replica answers and however late the
/// backplane is. Entries a write puts directly (the row it wrote) are current to position 0: nothing cheap bounds
/// what they are current to, and 0 is never wrong, it only sends recent writers to the database.
/// </summary>
public static class ConsistentCaching
{
    /// <summary>
    /// The entry for <paramref name="key"/>, filled by <paramref name="factory"/> at <paramref name="fill"/> on a miss
    /// (single flight), unless <paramref name="consistency"/> asks for more than the entry holds: then the factory's
    /// read at <paramref name="consistency"/>, which is not cached (it may well come from the primary past a standby).
    /// </summary>
    public static async ValueTask<T> GetOrCreateConsistentAsync<TState, T>(
        this HybridCache cache,
        string key,
        TState state,
        Func<TState, ReadConsistency, CancellationToken, ValueTask<T>> factory,
        ReadConsistency consistency,
        CancellationToken cancellationToken,
        ReadConsistency fill = default)
    {
        if (consistency.IsLatest)
        {
            return await factory(state, consistency, cancellationToken);
        }

        // A miss fills at the stricter of the two, so the request that made the fill can use what it read (the entry
        // itself claims only the position its read was current to); without a token no bypass can follow.
        var mark = consistency.MinPosition > 0 ? new FillMark() : null;
        var entry = await cache.GetOrCreateAsync(
            key,
            (state, factory, fill: consistency.MinPosition > fill.MinPosition ? consistency : fill, mark),
            static async (s, ct) =>
            {
                var filled = await FillAsync(s.state, s.factory, s.fill, ct);
                s.mark?.Filled = filled;
                return filled;
            },
            cancellationToken: cancellationToken);
        // The very object this request's fill made (not a stale one fail-safe returned while it ran on).
        var ownFill = mark is not null && ReferenceEquals(mark.Filled, entry);
        return ownFill || consistency.SatisfiedBy(entry.Position) ? entry.Value : await factory(state, consistency, cancellationToken);
    }

    /// <summary>
    /// How many times a write re-reads the primary and puts what it found, when a concurrent write keeps changing it;
    /// past that the last one to commit puts its own value in any case (every writer runs this after its commit).
    /// </summary>
    private const int MaxCorrections = 3;

    /// <summary>
    /// After a write: <paramref name="written"/> (what this write committed) replaces the entry on every replica (the
    /// backplane carries it: the one kind of set that does, see <see cref="CachingExtensions"/>); then
    /// <paramref name="current"/> reads the primary, and while it holds something else the entry is replaced by that.
    /// Two writes of one key that commit A then B may put their values B then A (each puts after its own commit, in
    /// whatever order the network delivers): A's read-back then finds B and puts it, so the last value cached is
    /// always the last committed. Proof sketch: the final put is followed by its writer's read; any later commit would
    /// be followed by its own put, so that read saw the last commit. Costs one primary point read per write.
    /// </summary>
    public static async ValueTask SetWrittenAsync<T>(
        this IFusionCache cache,
        string key,
        T written,
        Func<CancellationToken, ValueTask<T>> current,
        Func<T, T, bool> same,
        CancellationToken cancellationToken)
    {
        var value = written;
        for (var correction = 0; ; correction++)
        {
            await cache.SetAsync(key, new Positioned<T>(value, 0), PublishToOtherReplicas, cancellationToken);
            var now = await current(cancellationToken);
            if (same(now, value) || correction == MaxCorrections)
            {
                return;
            }

            value = now;
        }
    }

    /// <summary>Writes tell every replica to drop its memory copy; fills do not (the default entry options skip it).</summary>
    internal static void PublishToOtherReplicas(FusionCacheEntryOptions options) => options.SkipBackplaneNotifications = false;

    private sealed class FillMark
    {
        public object? Filled { get; set; }
    }

    private static async ValueTask<Positioned<T>> FillAsync<TState, T>(
        TState state, Func<TState, ReadConsistency, CancellationToken, ValueTask<T>> factory, ReadConsistency fill, CancellationToken cancellationToken)
    {
        using var positions = ReadPositions.Begin();
        var value = await factory(state, fill, cancellationToken);
        return new Positioned<T>(value, positions.Position);
    }
}
