namespace ScalableApi.Platform.Hosting;

/// <summary>What an overloaded replica puts on its 503, so a gateway knows another replica may do better.</summary>
public static class OverloadProtection
{
    /// <summary>Header (value <c>1</c>) on a 503 sent because the concurrency limit was reached.</summary>
    public const string MarkerHeader = "X-Overloaded";
}
