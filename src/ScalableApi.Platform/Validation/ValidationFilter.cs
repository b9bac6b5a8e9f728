using FluentValidation;
using ScalableApi.Platform.Errors;

namespace ScalableApi.Platform.Validation;

/// <summary>
/// Runs the registered FluentValidation validator for the endpoint's <typeparamref name="T"/> argument and
/// answers 400 with field errors (<c>{ email: ["…"] }</c>, camelCase like the JSON) before the handler runs.
/// </summary>
internal sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            if (argument is not T value)
            {
                continue;
            }

            var result = await validator.ValidateAsync(value, context.HttpContext.RequestAborted);
            if (!result.IsValid)
            {
                var errors = result.Errors
                    .GroupBy(e => ToCamelCase(e.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
                return TypedResults.ValidationProblem(errors, title: ProblemTitles.Validation);
            }
        }

        return await next(context);
    }

    private static string ToCamelCase(string propertyPath) =>
        string.Join('.', propertyPath.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
