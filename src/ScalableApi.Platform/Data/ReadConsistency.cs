using ScalableApi.Platform.Data.Consistency;

namespace ScalableApi.Platform.Data;

/// <summary>
/// How fresh a read must be: the one rule every service's read path and cache follow. A read either allows any
/// standby (<see cref="Any"/>), must see everything up to a database position (<see cref="AtLeast"/>: the caller's
/// consistency token, i.e. their own last write), or must see every committed write (<see cref="Latest"/>: the primary).
/// </summary>
public readonly record struct ReadConsistency
{
    private ReadConsistency(long minPosition) => MinPosition = minPosition;

    /// <summary>A standby may answer (and so may a cache filled from one): lag of milliseconds is fine.</summary>
    public static ReadConsistency Any => default;

    /// <summary>The primary answers: the read sees every committed write, the caller's own included.</summary>
    public static ReadConsistency Latest => new(long.MaxValue);

    /// <summary>The database position the read must have reached (0: none; <see cref="long.MaxValue"/>: latest).</summary>
    public long MinPosition { get; }

    public bool IsLatest => MinPosition == long.MaxValue;

    /// <summary>A read that must see every write up to <paramref name="position"/> (a standby that has replayed it may answer).</summary>
    public static ReadConsistency AtLeast(long position) => position <= 0 ? Any : new(Math.Min(position, long.MaxValue - 1));

    /// <summary>Whether data known to be current up to <paramref name="position"/> is fresh enough for this read.</summary>
    public bool SatisfiedBy(long position) => !IsLatest && position >= MinPosition;

    public override string ToString() => IsLatest ? "latest" : MinPosition == 0 ? "any" : $"at-least {MinPosition}";
}

public static class ReadConsistencyExtensions
{
    /// <summary>
    /// Read-your-writes (SPEC §2) by consistency token, not by sign-in: a request carrying a <c>Consistency-Token</c>
    /// (sent by the client, or added by the gateway from the caller's own recent writes) reads at least at that
    /// position; any other read allows a standby. Set per request by <see cref="ConsistencyTokenMiddleware"/>.
    /// </summary>
    public static ReadConsistency ReadConsistency(this HttpContext context) =>
        context.Features.Get<IReadConsistencyFeature>()?.Consistency ?? Data.ReadConsistency.Any;
}
