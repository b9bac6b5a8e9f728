using FluentValidation;

namespace ScalableApi.Users.Auth;

/// <summary>POST /api/auth/login. Only presence and a sane size are checked: a malformed e-mail is just "no such user".</summary>
public sealed record LoginRequest(string? Email, string? Password);

internal sealed class LoginRequestValidator : AbstractValidator<LoginRequest>
{
    public LoginRequestValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage("email is required.").MaximumLength(1024);
        RuleFor(x => x.Password).NotEmpty().WithMessage("password is required.").MaximumLength(1024);
    }
}
