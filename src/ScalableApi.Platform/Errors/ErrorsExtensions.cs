namespace ScalableApi.Platform.Errors;

internal static class ErrorsExtensions
{
    /// <summary>Every failure as problem+json, with no stack trace or exception detail for the client.</summary>
    public static WebApplicationBuilder AddPlatformProblemDetails(this WebApplicationBuilder builder)
    {
        // Malformed bodies throw so the exception handler can answer with a precise problem+json.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsSetup.Customize);
        // Registered after the framework's writer, so it only answers what that one declines.
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>();
        builder.Services.AddExceptionHandler<PlatformExceptionHandler>();
        return builder;
    }
}
