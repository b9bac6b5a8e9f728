using ScalableApi.Platform.Data;
namespace ScalableApi.Users.Users;

/// <summary>A user as the user themself and admins see it.</summary>
public sealed record UserResponse(long Id, string Email, string Name, int? Age, string Role, DateTime CreatedAt)
{
    public static UserResponse From(User user) =>
        new(user.Id, user.Email, user.Name, user.Age, user.Role, UnixTime.ToDateTime(user.CreatedAt));
}

/// <summary>A user as anyone sees it: no e-mail, age or role.</summary>
public sealed record PublicUserResponse(long Id, string Name, DateTime CreatedAt)
{
    public static PublicUserResponse From(User user) => new(user.Id, user.Name, UnixTime.ToDateTime(user.CreatedAt));
}
