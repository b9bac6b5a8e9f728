using FluentValidation;
using ScalableApi.Users.Accounts;

namespace ScalableApi.Users.Auth;

/// <summary>POST /api/auth/register. Nullable so a missing field is a field error, not a binding failure.</summary>
internal sealed record RegisterRequest(string? Email, string? Name, string? Password, int? Age);

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

/// <summary>POST /api/auth/login. Only presence and a sane size are checked: a malformed e-mail is just "no such user".</summary>
internal sealed record LoginRequest(string? Email, string? Password);

internal sealed class LoginRequestValidator : AbstractValidator<LoginRequest>
{
    public LoginRequestValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage("email is required.").MaximumLength(1024);
        RuleFor(x => x.Password).NotEmpty().WithMessage("password is required.").MaximumLength(1024);
    }
}

/// <summary>POST /api/auth/refresh.</summary>
internal sealed record RefreshRequest(string? RefreshToken);

internal sealed class RefreshRequestValidator : AbstractValidator<RefreshRequest>
{
    public RefreshRequestValidator()
    {
        RuleFor(x => x.RefreshToken).NotEmpty().WithMessage("refreshToken is required.").MaximumLength(256);
    }
}
