namespace ScalableApi.Platform.Data.Consistency;

/// <summary>
/// Collects the database position a cache fill read at: the database reports the position of each read connection it
/// opens inside a scope (a standby's replay position, or what is known committed on the primary, taken before the
/// query), and the scope keeps the lowest. A fill that opened no connection through <see cref="IDatabase"/>'s
/// consistency-aware reads claims position 0, which no token is satisfied by: never wrong, only colder.
/// </summary>
public static class ReadPositions
{
    private static readonly AsyncLocal<Scope?> Current = new();

    /// <summary>Starts collecting; dispose to stop. Inside an async method, so it never leaks to the caller's flow.</summary>
    public static Scope Begin()
    {
        var scope = new Scope(Current.Value);
        Current.Value = scope;
        return scope;
    }

    /// <summary>Whether a fill is collecting (the database then finds out positions it would otherwise not need).</summary>
    public static bool Active => Current.Value is not null;

    /// <summary>Called by the database for each read connection: the data it reads is current at least to <paramref name="position"/>.</summary>
    public static void Record(long position) => Current.Value?.Record(position);

    public sealed class Scope : IDisposable
    {
        private readonly Scope? _outer;
        private long _position = long.MaxValue;

        internal Scope(Scope? outer) => _outer = outer;

        /// <summary>The lowest position recorded, 0 when none was.</summary>
        public long Position => _position == long.MaxValue ? 0 : _position;

        internal void Record(long position)
        {
            // Reads of one fill may run in parallel.
            var current = Volatile.Read(ref _position);
            while (position < current)
            {
                var seen = Interlocked.CompareExchange(ref _position, position, current);
                if (seen == current)
                {
                    break;
                }

                current = seen;
            }

            _outer?.Record(position);
        }

        public void Dispose() => Current.Value = _outer;
    }
}
