namespace ScalableApi.Platform.Hosting;

/// <summary>
/// The retry policy of the asynchronous half, as options: how many tries before the work is dead-lettered, and the
/// <see cref="RetryBackoff"/> schedule between them. Job runs (<c>Jobs</c>) and event deliveries (<c>Messaging</c>)
/// share it, each with its own defaults; the keys sit in each one's section.
/// </summary>
public abstract class RetryPolicyOptions(int maxAttempts, TimeSpan retryBaseDelay, TimeSpan retryMaxDelay) : IValidatableObject
{
    /// <summary>Tries of one piece of work (the first included) before it is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = maxAttempts;

    /// <summary>Wait before the second try; each further retry doubles it (plus up to 50 % jitter), up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = retryBaseDelay;

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = retryMaxDelay;

    /// <summary>Cross-field rules (start-up, after the ranges): a first wait above the cap would never be waited.</summary>
    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryBaseDelay > RetryMaxDelay)
        {
            yield return new ValidationResult($"must not exceed RetryMaxDelay ({RetryMaxDelay:c})", [nameof(RetryBaseDelay)]);
        }
    }

    /// <summary>The wait after failed try <paramref name="attempt"/> (1 for the first).</summary>
    public TimeSpan Backoff(int attempt) => RetryBackoff.Delay(attempt, RetryBaseDelay, RetryMaxDelay);
}
