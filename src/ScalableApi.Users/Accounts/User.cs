namespace ScalableApi.Users.Accounts;

/// <summary>A row of <c>users</c> as Dapper reads it (SQL aliases the snake_case columns).</summary>
internal sealed class User
{
    public long Id { get; set; }

    /// <summary>Normalised: see <see cref="EmailAddress"/>.</summary>
    public string Email { get; set; } = "";

    public string Name { get; set; } = "";

    public int? Age { get; set; }

    public string Role { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    /// <summary>Unix milliseconds UTC.</summary>
    public long CreatedAt { get; set; }

    /// <summary>Unix milliseconds UTC.</summary>
    public long UpdatedAt { get; set; }
}

/// <summary>
/// What a PATCH changes, already validated and normalised. A null string or a false flag means "unchanged";
/// <see cref="SetAge"/> with a null <see cref="Age"/> clears the age.
/// </summary>
internal sealed record UserChanges(string? Email, string? Name, bool SetAge, int? Age, string? Role, string? PasswordHash);

/// <summary>A user as the user themself and admins see it.</summary>
internal sealed record UserResponse(long Id, string Email, string Name, int? Age, string Role, DateTime CreatedAt)
{
    public static UserResponse From(User user) =>
        new(user.Id, user.Email, user.Name, user.Age, user.Role, UnixTime.ToDateTime(user.CreatedAt));
}

/// <summary>A user as anyone sees it: no e-mail, age or role.</summary>
internal sealed record PublicUserResponse(long Id, string Name, DateTime CreatedAt)
{
    public static PublicUserResponse From(User user) => new(user.Id, user.Name, UnixTime.ToDateTime(user.CreatedAt));
}
