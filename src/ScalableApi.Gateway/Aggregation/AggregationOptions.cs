namespace ScalableApi.Gateway.Aggregation;

/// <summary>Configuration section <c>Gateway:Aggregation</c>.</summary>
public sealed class AggregationOptions
{
    public const string SectionName = "Gateway:Aggregation";

    /// <summary>Longest the overview waits for any one service before answering with what it has.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00", ErrorMessage = "must be from 1 ms to 5 minutes")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many latest posts and comments the overview includes (the content service's page limit is 1–100).</summary>
    [Range(1, 100, ErrorMessage = "must be from 1 to 100 (the content service's largest page)")]
    public int Latest { get; set; } = 10;
}
