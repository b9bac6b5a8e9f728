using FluentValidation;

namespace ScalableApi.Users.Auth;

/// <summary>POST /api/auth/refresh.</summary>
public sealed record RefreshRequest(string? RefreshToken);

internal sealed class RefreshRequestValidator : AbstractValidator<RefreshRequest>
{
    public RefreshRequestValidator()
    {
        RuleFor(x => x.RefreshToken).NotEmpty().WithMessage("refreshToken is required.").MaximumLength(256);
    }
}
