using ScalableApi.Content;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform("content", typeof(ContentExtensions).Assembly);
builder.AddContent();

var app = builder.Build();
app.UsePlatform();
app.MapPlatformEndpoints();
app.MapContent();

await app.RunAsync();
