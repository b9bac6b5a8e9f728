using System.Text.Json.Serialization;
using FluentValidation;
using ScalableApi.Contracts;

namespace ScalableApi.Users.Users;

/// <summary>
/// PATCH /api/users/{id} with merge semantics. System.Text.Json calls a setter only for members present in the
/// body, so each setter records "was sent": absent = unchanged, <c>"age": null</c> clears the age.
/// </summary>
public sealed class UpdateUserRequest
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
