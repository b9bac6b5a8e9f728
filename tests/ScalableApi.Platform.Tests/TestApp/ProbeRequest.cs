using FluentValidation;

namespace ScalableApi.Platform.Tests.TestApp;

/// <summary>A body the probe app validates, to observe the platform's validation and JSON error handling.</summary>
public sealed record ProbeRequest(string? Name, int? Age);

public sealed class ProbeRequestValidator : AbstractValidator<ProbeRequest>
{
    public ProbeRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(10);
        RuleFor(r => r.Age).InclusiveBetween(0, 150);
    }
}
