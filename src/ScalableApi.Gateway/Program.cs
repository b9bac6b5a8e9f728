using ScalableApi.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform("gateway", typeof(GatewayExtensions).Assembly);
builder.AddGateway();

var app = builder.Build();
app.UseForwardedHeaders();
app.UsePlatform(beforeAuthentication: GatewayExtensions.UseHitPath);
app.MapPlatformEndpoints(openApiDocument: false); // its inventory is /openapi/gateway.json, merged
app.MapGateway();

await app.RunAsync();
