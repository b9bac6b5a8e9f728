using Microsoft.AspNetCore.Http.Features;

namespace ScalableApi.Platform.Http;

/// <summary>
/// Small responses leave whole, with a <c>Content-Length</c>, in one write. Minimal-API JSON otherwise streams
/// chunked from the first byte, and a replica killed mid-response leaves the gateway holding a status and headers
/// it has already forwarded and half a body it cannot retry. Sent whole, a response is either in the kernel's
/// socket buffer (it arrives even if the process dies next) or not begun (the gateway sees a failure before any
/// byte and retries on another replica). Bodies over <see cref="ResponseBufferingOptions.MaxBufferedBytes"/> and
/// endpoints marked <see cref="StreamingResponseExtensions.StreamsResponse{TBuilder}"/> stream as before.
/// </summary>
/// <remarks>
/// The same idea as MVC's output buffering (<c>FileBufferingWriteStream</c> then <c>Content-Length</c>), but over
/// the <see cref="System.IO.Pipelines.PipeWriter"/> minimal APIs write to, in pooled memory only, and falling back
/// to streaming rather than to a temporary file. Outside the exception handler and the status-code pages, so their
/// problem+json answers are sized too.
/// </remarks>
internal sealed class BufferedResponseMiddleware(RequestDelegate next, IOptions<ResponseBufferingOptions> options)
{
    private readonly int _maxBufferedBytes = options.Value.MaxBufferedBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var features = context.Features;
        var innerBody = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var innerResponse = features.GetRequiredFeature<IHttpResponseFeature>();
        var body = new BufferedResponseBody(context, innerBody, innerResponse, _maxBufferedBytes);
        features.Set<IHttpResponseBodyFeature>(body);
        features.Set<IHttpResponseFeature>(body);
        try
        {
            await next(context);
            await body.CommitAsync();
        }
        catch
        {
            body.Discard();
            throw;
        }
        finally
        {
            features.Set(innerBody);
            features.Set(innerResponse);
        }
    }
}
