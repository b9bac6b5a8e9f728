using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Messaging;

/// <summary>
/// Configuration section <c>Messaging</c>: the outbox relay and the event consumer (see docs/adr/0003). A try is a
/// delivery of one event, redeliveries after a consumer crash included: past <see cref="RetryPolicyOptions.MaxAttempts"/>
/// (default 5; retries from 1 s up to 1 min) it goes to the dead-letter list.
/// </summary>
public sealed class MessagingOptions() : RetryPolicyOptions(maxAttempts: 5, retryBaseDelay: TimeSpan.FromSeconds(1), retryMaxDelay: TimeSpan.FromMinutes(1))
{
    public const string SectionName = "Messaging";

    /// <summary>Prefix of every queue key in the store (deployments sharing one store keep apart by it).</summary>
    public string KeyPrefix { get; set; } = "";

    /// <summary>Services that receive each event type, e.g. <c>Messaging:Subscribers:UserDeleted:0=content</c>.</summary>
    public Dictionary<string, string[]> Subscribers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often the relay looks at the outbox when it was empty.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RelayInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Outbox rows moved per relay transaction.</summary>
    [Range(1, 10_000)]
    public int RelayBatchSize { get; set; } = 100;

    /// <summary>How often an idle consumer looks at its queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A consumer renews a key with this lifetime; when it lapses (the replica died), any replica moves the events
    /// it was holding back to the queue. Redelivery after a crash takes at most this plus <see cref="ReaperInterval"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ConsumerTtl { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ReaperInterval { get; set; } = TimeSpan.FromSeconds(5);
}
