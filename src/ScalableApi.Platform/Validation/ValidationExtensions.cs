using System.Reflection;
using FluentValidation;

namespace ScalableApi.Platform.Validation;

public static class ValidationExtensions
{
    /// <summary>The FluentValidation validators of <paramref name="serviceAssembly"/>, internal ones included.</summary>
    internal static WebApplicationBuilder AddPlatformValidation(this WebApplicationBuilder builder, Assembly serviceAssembly)
    {
        // Singletons: a validator holds only its rules, built once instead of on every validated request, and
        // singletons (the catalog's import job handler) may take one; scoped, they failed scope validation, so the
        // catalog did not start in the Development environment.
        builder.Services.AddValidatorsFromAssembly(serviceAssembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        return builder;
    }

    /// <summary>Validates the <typeparamref name="T"/> body with its FluentValidation validator; 400 with field errors if invalid.</summary>
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}
