using FluentValidation;
using ScalableApi.Users.Users;

namespace ScalableApi.Users.Auth;

/// <summary>POST /api/auth/register. Nullable so a missing field is a field error, not a binding failure.</summary>
public sealed record RegisterRequest(string? Email, string? Name, string? Password, int? Age);

internal sealed class RegisterRequestValidator : AbstractValidator<RegisterRequest>
{
    public RegisterRequestValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Name).ValidName();
        RuleFor(x => x.Password).ValidPassword();
        RuleFor(x => x.Age).ValidAge();
    }
}
