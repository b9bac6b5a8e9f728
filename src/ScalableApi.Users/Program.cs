using ScalableApi.Users;
using ScalableApi.Platform;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform("users", typeof(UsersExtensions).Assembly);
builder.AddUsers();

var app = builder.Build();
app.UsePlatform();
app.MapPlatformEndpoints();
app.MapUsersApi();

await app.RunAsync();
