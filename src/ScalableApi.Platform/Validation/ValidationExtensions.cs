using System.Reflection;
using FluentValidation;

namespace ScalableApi.Platform.Validation;

public static class ValidationExtensions
{
    /// <summary>The FluentValidation validators of <paramref name="serviceAssembly"/>, internal ones included.</summary>
    internal static WebApplicationBuilder AddPlatformValidation(this WebApplicationBuilder builder, Assembly serviceAssembly)
    {
        builder.Services.AddValidatorsFromAssembly(serviceAssembly, includeInternalTypes: true);
        return builder;
    }

    /// <summary>Validates the <typeparamref name="T"/> body with its FluentValidation validator; 400 with field errors if invalid.</summary>
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}
