using FluentValidation;
using ScalableApi.Platform.Validation;

namespace ScalableApi.Users.Users;

/// <summary>Field rules shared by registration and PATCH, so a value valid in one is valid in the other.</summary>
public static class UserRules
{
    public const int NameMaxLength = 100;
    public const int PasswordMinLength = 8;
    public const int PasswordMaxLength = 128;
    public const int AgeMax = 150;

    public static IRuleBuilderOptions<T, string?> ValidEmail<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("email is required.")
            .WellFormed()
            .Must(e => EmailAddress.TryNormalize(e, out _)).WithMessage("email is not a valid e-mail address.");

    public static IRuleBuilderOptions<T, string?> ValidName<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("name is required.")
            .WellFormed()
            .Must(n => n!.Trim().Length is >= 1 and <= NameMaxLength)
            .WithMessage($"name must be 1 to {NameMaxLength} characters long (after trimming).");

    public static IRuleBuilderOptions<T, string?> ValidPassword<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("password is required.")
            .Must(p => p!.Length is >= PasswordMinLength and <= PasswordMaxLength)
            .WithMessage($"password must be {PasswordMinLength} to {PasswordMaxLength} characters long.");

    public static IRuleBuilderOptions<T, int?> ValidAge<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(0, AgeMax).WithMessage($"age must be an integer from 0 to {AgeMax}.");
}
