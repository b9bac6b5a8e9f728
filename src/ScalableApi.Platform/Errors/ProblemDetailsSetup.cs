using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ScalableApi.Platform.Errors;

/// <summary>Every problem+json body carries the trace id and the request id, so a client report finds its log line.</summary>
internal static class ProblemDetailsSetup
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        problem.Instance ??= http.Request.Path;
        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        if (http.Items.TryGetValue(Observability.RequestIdMiddleware.ItemKey, out var requestId))
        {
            problem.Extensions["requestId"] = requestId;
        }

        // The framework's defaults are fine for the title; the detail must never be an exception message.
        if (context.Exception is not null && problem.Status >= 500)
        {
            problem.Detail = "The server could not complete the request. Quote the traceId when you report it.";
        }

        // Drop the internal exception details ASP.NET adds in Development.
        problem.Extensions.Remove("exception");
    }

    public static ProblemDetails Create(int status, string title, string? detail = null) => new()
    {
        Status = status,
        Title = title,
        Detail = detail,
        // Type stays null: the framework fills in the RFC 9110 section link, as for every other problem.
    };
}
