using ScalableApi.Platform.Data;

namespace ScalableApi.Users;

/// <summary>Everything the users service registers and maps beyond the platform.</summary>
public static class UsersExtensions
{
    public static WebApplicationBuilder AddUsers(this WebApplicationBuilder builder)
    {
        builder.AddDatabase(typeof(UsersExtensions).Assembly);
        return builder;
    }

    public static WebApplication MapUsersApi(this WebApplication app)
    {
        return app;
    }
}
