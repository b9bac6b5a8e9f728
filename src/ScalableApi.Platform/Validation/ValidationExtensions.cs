using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ScalableApi.Platform.Validation;

public static class ValidationExtensions
{
    /// <summary>Validates the <typeparamref name="T"/> body with its FluentValidation validator; 400 with field errors if invalid.</summary>
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}
