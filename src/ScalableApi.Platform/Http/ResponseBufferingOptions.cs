namespace ScalableApi.Platform.Http;

/// <summary>Configuration section <c>Platform:ResponseBuffering</c>: small responses go out whole, with a length.</summary>
public sealed class ResponseBufferingOptions
{
    public const string SectionName = "Platform:ResponseBuffering";

    /// <summary>Off only to compare with plain streaming. Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Largest body held back to be sent with a <c>Content-Length</c>; a larger one streams (chunked) from the
    /// moment it passes this size. Default 64 KiB: every page and item of the API, and the most one request keeps
    /// rented from the shared array pool.
    /// </summary>
    [Range(0, 16 * 1024 * 1024, ErrorMessage = "must be from 0 (stream everything) to 16 MiB")]
    public int MaxBufferedBytes { get; set; } = 64 * 1024;
}
