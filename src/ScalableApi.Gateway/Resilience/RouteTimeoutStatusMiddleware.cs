using Microsoft.AspNetCore.Http.Timeouts;
using Yarp.ReverseProxy.Forwarder;

namespace ScalableApi.Gateway.Resilience;

/// <summary>
/// A route's <c>Timeout</c> cancels the request through ASP.NET's request-timeouts middleware; the forwarder then
/// sees a cancelled request and reports it like a client that went away (400). When the route's own timeout
/// fired, the honest answer is 504 Gateway Timeout: this sets it before any byte of the response is sent.
/// </summary>
public sealed class RouteTimeoutStatusMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        if (context.Response.HasStarted
            || context.GetForwarderErrorFeature() is not { Error: ForwarderError.RequestCanceled or ForwarderError.RequestTimedOut }
            || context.Features.Get<IHttpRequestTimeoutFeature>() is not { RequestTimeoutToken.IsCancellationRequested: true })
        {
            return;
        }

        context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
    }
}
