namespace ScalableApi.Platform.Data.Consistency;

/// <summary>
/// The highest database position this process knows to be committed and visible on the primary: the tokens it issued
/// (each taken after its write's commit). Not the tokens requests bring: a client can send any position. A read of the primary that starts after learning a position sees every write up to it, so this is what a cache
/// entry filled from the primary can claim to be current to, without asking the primary (whose insert position can
/// run ahead of what a new snapshot sees, while a commit is being made visible).
/// </summary>
public sealed class ConsistencyClock
{
    private long _known;

    public long Known => Volatile.Read(ref _known);

    public void Observe(long position)
    {
        var current = Volatile.Read(ref _known);
        while (position > current)
        {
            var seen = Interlocked.CompareExchange(ref _known, position, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
