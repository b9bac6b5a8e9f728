namespace ScalableApi.Platform.Idempotency;

/// <summary>The headers of the IETF Idempotency-Key draft as SPEC §2 uses them.</summary>
public static class IdempotencyHeaders
{
    /// <summary>Request: the client's key for one POST.</summary>
    public const string Key = "Idempotency-Key";

    /// <summary>Response: <c>true</c> when the answer is the stored one of an earlier attempt.</summary>
    public const string Replayed = "Idempotent-Replayed";
}
