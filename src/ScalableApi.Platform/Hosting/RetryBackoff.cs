namespace ScalableApi.Platform.Hosting;

/// <summary>The one retry schedule of the asynchronous half (job runs, event deliveries).</summary>
internal static class RetryBackoff
{
    /// <summary>Exponential: base × 2^(attempt−1), capped, plus up to 50 % random jitter so many retries spread out.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + (Random.Shared.NextDouble() * 0.5)));
    }
}
