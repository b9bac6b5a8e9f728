using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace ScalableApi.Platform.Errors;

/// <summary>
/// Turns every exception into problem+json with a fixed, safe text. Client mistakes the framework reports as
/// <see cref="BadHttpRequestException"/> (malformed JSON, wrong content type, body too large) keep their 4xx;
/// a database that is busy or unreachable for now is a 503 with <c>Retry-After</c>; anything else is a 500 whose details
/// go to the log only.
/// </summary>
internal sealed partial class PlatformExceptionHandler(IProblemDetailsService problemDetails, ILogger<PlatformExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, errors) = Classify(exception);
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // Expected while a database is down or saturated: a warning, not an error to page someone for.
            LogUnavailable(exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status >= 500)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else
        {
            LogClientError(status, exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        var problem = ProblemDetailsSetup.Create(status, title, detail);
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
        });
    }

    private static (int Status, string Title, string? Detail, Dictionary<string, string[]>? Errors) Classify(Exception exception)
    {
        if (exception is BadHttpRequestException bad)
        {
            if (FindJsonException(bad) is { } json)
            {
                var field = JsonPathToField(json.Path);
                var errors = field is null ? null : new Dictionary<string, string[]> { [field] = ["The value is not valid for this field."] };
                return (400, "The request body is not valid JSON for this endpoint.", json.Path is null ? null : $"Problem at {json.Path}.", errors);
            }

            if (BoundParameter(bad.Message) is { } parameter)
            {
                // limit=abc or a missing required query value: name the field like a validation error does.
                return (400, ProblemTitles.Validation, null, new Dictionary<string, string[]> { [parameter] = ["The value is missing or not valid for this field."] });
            }

            return bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => (413, "The request body is too large.", null, null),
                StatusCodes.Status415UnsupportedMediaType => (415, "Unsupported media type: send application/json in UTF-8.", null, null),
                StatusCodes.Status400BadRequest when bad.InnerException is null && bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                    => (400, "A request body is required.", null, null),
                _ when bad.StatusCode is >= 400 and < 500 => (bad.StatusCode, "The request is not valid.", null, null),
                _ => (400, "The request is not valid.", null, null),
            };
        }

        if (exception is OperationCanceledException)
        {
            // The client went away; the status is for the log line only.
            return (499, "The request was cancelled.", null, null);
        }

        if (Data.DbErrors.IsUnavailable(exception))
        {
            // An exhausted pool or an unreachable database is temporary: say so (503 + Retry-After), not "unexpected".
            return (503, "Service Unavailable", "The database is busy or unreachable. Retry after the Retry-After delay.", null);
        }

        return (500, "An unexpected error occurred.", null, null);
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            if (current is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    /// <summary>
    /// The parameter named in ASP.NET's binding failures (<c>Failed to bind parameter "int? limit" from "abc".</c>,
    /// <c>Required parameter "long id" was not provided …</c>), camelCased; null for any other message. Only the
    /// name is taken from the text, never the value the client sent.
    /// </summary>
    private static string? BoundParameter(string message)
    {
        var match = BindingFailure().Match(message);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    [GeneratedRegex("""^(Failed to bind|Required) parameter "[^"]*? (?<name>[A-Za-z_][A-Za-z0-9_]*)" (from|was not provided)""")]
    private static partial Regex BindingFailure();

    /// <summary><c>$.address.zip</c> → <c>address.zip</c>; the root (<c>$</c>) has no field.</summary>
    private static string? JsonPathToField(string? path) =>
        path is null || path.Length <= 2 || !path.StartsWith("$.", StringComparison.Ordinal) ? null : path[2..];

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable for {Method} {Path}: answered 503")]
    private partial void LogUnavailable(Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected request with {Status} ({Reason}) for {Method} {Path}")]
    private partial void LogClientError(int status, string reason, string method, string path);
}
