namespace ScalableApi.Gateway.Consistency;

/// <summary>
/// Configuration section <c>Gateway:ConsistencyTokens</c>: how long the gateway remembers a signed-in user's latest
/// consistency token per service (in the Redis-protocol store, so every gateway knows it) and adds it to that user's
/// reads. Long enough for any standby to replay a write; after it, the user's reads go wherever reads without a token go.
/// </summary>
public sealed class ConsistencyTokenOptions
{
    public const string SectionName = "Gateway:ConsistencyTokens";

    public bool Enabled { get; set; } = true;

    /// <summary>Seconds a user's token is remembered after their last write. Default 10.</summary>
    [Range(1, 3600, ErrorMessage = "must be from 1 to 3600 seconds")]
    public int WindowSeconds { get; set; } = 10;

    /// <summary>Milliseconds the store may take to answer; beyond it the request goes on without the token. Default 250.</summary>
    [Range(1, 10_000, ErrorMessage = "must be from 1 to 10000 ms")]
    public int StoreTimeoutMilliseconds { get; set; } = 250;
}
