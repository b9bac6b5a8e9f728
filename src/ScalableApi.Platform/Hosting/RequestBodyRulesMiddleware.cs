using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ScalableApi.Platform.Hosting;

/// <summary>
/// The rules every request body meets before anything reads it:
/// <list type="bullet">
/// <item>a declared <c>Content-Length</c> over the limit is 413, and the server's own limit is set for bodies of
/// unknown length (Kestrel then fails the read with 413 mid-stream); endpoints that accept more (imports) raise the
/// limit with <see cref="IRequestSizeLimitMetadata"/>;</item>
/// <item>a <c>charset</c> other than UTF-8 is 415: JSON between systems is UTF-8 (RFC 8259 §8.1), and the framework
/// would otherwise try to transcode it, throwing for charsets it cannot (utf-7, unknown names).</item>
/// </list>
/// </summary>
internal sealed class RequestBodyRulesMiddleware(RequestDelegate next, IOptions<PlatformOptions> options)
{
    /// <summary>
    /// How much of a refused body the server still reads and discards. A client that sends its body without waiting
    /// (no <c>Expect: 100-continue</c>, which is most) is still writing when the 413 is sent; if the server then closed
    /// with the body unread, the kernel would reset the connection and the client would see a broken pipe instead of
    /// the 413. Above this the connection is closed anyway: reading more would let anyone spend our bandwidth.
    /// </summary>
    internal const long MaxDrainedBodyBytes = 16 * 1024 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? options.Value.MaxRequestBodyBytes;
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { } max && context.Request.ContentLength is { } length && length > max)
        {
            if (length <= MaxDrainedBodyBytes && feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = length; // Kestrel drains the unread body after the response only within its limit.
            }

            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Request.ContentType is { } contentType && contentType.Contains("charset", StringComparison.OrdinalIgnoreCase))
        {
            CheckCharset(context.Request, contentType);
        }

        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }

    /// <summary>
    /// <c>utf-8</c> in any case passes; quoted (<c>charset="utf-8"</c>, which HTTP allows) it is rewritten unquoted,
    /// because the framework's JSON reader fails on the quotes. An unparsable media type is left to the endpoint (415 there).
    /// </summary>
    private static void CheckCharset(HttpRequest request, string contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || StringSegment.IsNullOrEmpty(mediaType.Charset))
        {
            return;
        }

        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset);
        if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException("Unsupported charset.", StatusCodes.Status415UnsupportedMediaType);
        }

        if (charset.Length != mediaType.Charset.Length)
        {
            mediaType.Charset = "utf-8";
            request.ContentType = mediaType.ToString();
        }
    }
}
