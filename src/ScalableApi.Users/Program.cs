using ScalableApi.Users;
using ScalableApi.Users.Admins;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform("users", typeof(UsersExtensions).Assembly);
builder.AddUsers();

var app = builder.Build();
if (CreateAdminCommand.IsInvocation(args))
{
    return await CreateAdminCommand.RunAsync(app, args);
}

app.UsePlatform();
app.MapPlatformEndpoints();
app.MapUsers();

await app.RunAsync();
return 0;
