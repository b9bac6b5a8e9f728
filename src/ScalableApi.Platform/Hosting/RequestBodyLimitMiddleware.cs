using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace ScalableApi.Platform.Hosting;

/// <summary>
/// Rejects a declared <c>Content-Length</c> over the limit with 413 before anything reads the body, and sets the
/// server's own limit for bodies of unknown length (Kestrel then fails the read with 413 mid-stream).
/// Endpoints that accept more (imports) raise the limit with <c>IHttpMaxRequestBodySizeFeature</c> metadata.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<PlatformOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? options.Value.MaxRequestBodyBytes;
        if (limit is { } max && context.Request.ContentLength > max)
        {
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        }

        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}
