namespace ScalableApi.Platform.Data.Consistency;

/// <summary>
/// How fresh this request's reads must be, decided once per request by <see cref="ConsistencyTokenMiddleware"/> from its
/// <c>Consistency-Token</c> header; stores and caches ask it (through <c>HttpContext.ReadConsistency()</c>).
/// </summary>
public interface IReadConsistencyFeature
{
    ReadConsistency Consistency { get; }
}

internal sealed class ReadConsistencyFeature(ReadConsistency consistency) : IReadConsistencyFeature
{
    public ReadConsistency Consistency { get; } = consistency;
}
