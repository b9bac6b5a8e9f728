using System.Text.Json.Serialization;
using FluentValidation;
using ScalableApi.Contracts;

namespace ScalableApi.Users.Accounts;

/// <summary>
/// PATCH /api/users/{id} with merge semantics. System.Text.Json calls a setter only for members present in the
/// body, so each setter records "was sent": absent = unchanged, <c>"age": null</c> clears the age.
/// </summary>
internal sealed class UpdateUserRequest
{
    private string? _email;
    private string? _name;
    private string? _password;
    private int? _age;
    private string? _role;

    public string? Email { get => _email; set { _email = value; HasEmail = true; } }

    public string? Name { get => _name; set { _name = value; HasName = true; } }

    public string? Password { get => _password; set { _password = value; HasPassword = true; } }

    public int? Age { get => _age; set { _age = value; HasAge = true; } }

    /// <summary>Only admins may send it.</summary>
    public string? Role { get => _role; set { _role = value; HasRole = true; } }

    [JsonIgnore]
    public bool HasEmail { get; private set; }

    [JsonIgnore]
    public bool HasName { get; private set; }

    [JsonIgnore]
    public bool HasPassword { get; private set; }

    [JsonIgnore]
    public bool HasAge { get; private set; }

    [JsonIgnore]
    public bool HasRole { get; private set; }
}

internal sealed class UpdateUserRequestValidator : AbstractValidator<UpdateUserRequest>
{
    public UpdateUserRequestValidator()
    {
        // Sent fields follow the registration rules; null is only meaningful for age.
        When(x => x.HasEmail, () => RuleFor(x => x.Email).ValidEmail());
        When(x => x.HasName, () => RuleFor(x => x.Name).ValidName());
        When(x => x.HasPassword, () => RuleFor(x => x.Password).ValidPassword());
        When(x => x.HasAge, () => RuleFor(x => x.Age).ValidAge());
        When(x => x.HasRole, () => RuleFor(x => x.Role)
            .Must(r => r is Roles.User or Roles.Admin).WithMessage($"role must be \"{Roles.User}\" or \"{Roles.Admin}\"."));
    }
}

/// <summary>Field rules shared by registration and PATCH, so a value valid in one is valid in the other.</summary>
internal static class UserRules
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
