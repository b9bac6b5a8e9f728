namespace ScalableApi.Users.Users;

/// <summary>A row of <c>users</c> as Dapper reads it (SQL aliases the snake_case columns).</summary>
public sealed class User
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
