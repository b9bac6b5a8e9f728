using System.Diagnostics;
using Serilog.Context;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// Echoes a well-formed <c>X-Request-Id</c> or makes one, puts it on the response, the log context and the
/// current trace, so one id follows the request through the gateway and every service.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Request-Id";
    internal const string ItemKey = "RequestId";
    private const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[HeaderName].ToString();
        var requestId = IsWellFormed(incoming) ? incoming : Guid.CreateVersion7().ToString("N");
        context.Items[ItemKey] = requestId;
        context.Response.OnStarting(static state =>
        {
            var (http, id) = ((HttpContext, string))state;
            http.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        }, (context, requestId));
        Activity.Current?.SetTag("http.request_id", requestId);
        using (LogContext.PushProperty("RequestId", requestId))
        {
            await next(context);
        }
    }

    /// <summary>Only short ids of safe characters are trusted: a header is attacker input that reaches logs.</summary>
    private static bool IsWellFormed(string value)
    {
        if (value.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }
}
