namespace ScalableApi.Platform.Http;

/// <summary>
/// Endpoint metadata: the response is written as it is produced (an export, a proxied response), so the platform
/// does not hold it back to give it a <c>Content-Length</c>. See <see cref="BufferedResponseMiddleware"/>.
/// </summary>
public sealed class StreamingResponseMetadata
{
    public static readonly StreamingResponseMetadata Instance = new();

    private StreamingResponseMetadata()
    {
    }
}

public static class StreamingResponseExtensions
{
    /// <summary>Opts the endpoints out of response buffering: their bodies stream (chunked) as written.</summary>
    public static TBuilder StreamsResponse<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(StreamingResponseMetadata.Instance);
}
