using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Serilog.Events;
using Serilog.Parsing;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// What every request leaves behind once it is answered: the <c>http_request_duration_seconds{method,route,status}</c>
/// observation and one log line. Outermost but for the request id and security headers, so both see the status
/// the client got (also when the exception handler turned a throw into a 500) and the whole time it took.
/// </summary>
/// <remarks>
/// One middleware for both, and the log event built directly: Serilog's request-logging middleware collects its
/// properties through an ambient diagnostic context and binds them through the message template on every request,
/// and a second middleware timed the request again for the metric. The route is the endpoint's template, never
/// the raw path, so the metric's labels stay bounded whatever clients send; it is taken from the exception
/// handler's record when the handler has already cleared the endpoint.
/// </remarks>
internal sealed class RequestTelemetryMiddleware(RequestDelegate next, Serilog.ILogger logger, RequestMetrics metrics)
{
    private const string Unmatched = "unmatched";

    /// <summary>
    /// nginx's "client closed request": the client went away before its answer. Recorded instead of whatever the
    /// server was about to send (YARP answers a cancelled proxy call 400, an endpoint may still produce its 200), so
    /// a client hanging up is neither a client error nor a success in the metrics, and never a 5xx.
    /// </summary>
    internal const int ClientClosedRequest = 499;

    // `:l` renders the strings as they are, without the quotes Serilog puts around string values in messages.
    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse(
        "HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.0000} ms");

    private readonly Serilog.ILogger _logger = logger.ForContext<RequestTelemetryMiddleware>();

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        Exception? escaped = null;
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            // Only when nothing inside answered it (the exception handler is inside): Kestrel then sends a 500.
            escaped = exception;
            throw;
        }
        finally
        {
            Record(context, Stopwatch.GetElapsedTime(started), escaped);
        }
    }

    private void Record(HttpContext context, TimeSpan elapsed, Exception? escaped)
    {
        var status = context.RequestAborted.IsCancellationRequested ? ClientClosedRequest
            : escaped is null ? context.Response.StatusCode
            : StatusCodes.Status500InternalServerError;
        var method = context.Request.Method;
        var route = RouteOf(context);
        metrics.Record(MethodLabel(method), route ?? Unmatched, StatusLabel(status), elapsed.TotalSeconds);

        var level = status >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
        if ((level < LogEventLevel.Error && IsInfrastructurePath(context.Request.Path)) || !_logger.IsEnabled(level))
        {
            return;
        }

        var properties = new List<LogEventProperty>(6)
        {
            new("RequestMethod", new ScalarValue(method)),
            new("RequestPath", new ScalarValue(context.Request.Path.Value)),
            new("StatusCode", new ScalarValue(status)),
            new("Elapsed", new ScalarValue(elapsed.TotalMilliseconds)),
            // The TCP peer, or the client a trusted proxy named (the gateway's forwarded-headers rule): never a header
            // an arbitrary client chose.
            new("ClientIp", new ScalarValue(context.Connection.RemoteIpAddress?.ToString())),
        };
        if (route is not null)
        {
            properties.Add(new("Route", new ScalarValue(route)));
        }

        var activity = Activity.Current;
        _logger.Write(new LogEvent(
            DateTimeOffset.UtcNow,
            level,
            escaped,
            Template,
            properties,
            activity?.TraceId ?? default,
            activity?.SpanId ?? default));
    }

    private static string? RouteOf(HttpContext context)
    {
        var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerPathFeature>()?.Endpoint;
        return (endpoint as RouteEndpoint)?.RoutePattern.RawText;
    }

    /// <summary>Health probes and metric scrapes succeed every few seconds: their lines would drown the requests'.</summary>
    internal static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");

    // Bounded label values: an unknown method would otherwise mint a new series per request.
    private static string MethodLabel(string method) => method switch
    {
        "GET" or "POST" or "PUT" or "PATCH" or "DELETE" or "HEAD" or "OPTIONS" => method,
        _ => "OTHER",
    };

    private static string StatusLabel(int status) => status switch
    {
        200 => "200",
        201 => "201",
        202 => "202",
        204 => "204",
        304 => "304",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        409 => "409",
        ClientClosedRequest => "499",
        500 => "500",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
