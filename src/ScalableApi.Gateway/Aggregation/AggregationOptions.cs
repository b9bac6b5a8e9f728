namespace ScalableApi.Gateway.Aggregation;

/// <summary>Configuration section <c>Gateway:Aggregation</c>.</summary>
public sealed class AggregationOptions
{
    public const string SectionName = "Gateway:Aggregation";

    /// <summary>Longest the overview waits for any one service before answering with what it has.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many latest posts and comments the overview includes.</summary>
    public int Latest { get; set; } = 10;
}
