namespace ScalableApi.Users.Users;

/// <summary>
/// What a PATCH changes, already validated and normalised. A null string or a false flag means "unchanged";
/// <see cref="SetAge"/> with a null <see cref="Age"/> clears the age.
/// </summary>
public sealed record UserChanges(string? Email, string? Name, bool SetAge, int? Age, string? Role, string? PasswordHash);
