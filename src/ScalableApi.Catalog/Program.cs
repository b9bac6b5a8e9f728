using ScalableApi.Catalog;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform("catalog", typeof(CatalogExtensions).Assembly);
builder.AddCatalog();

var app = builder.Build();
app.UsePlatform();
app.MapPlatformEndpoints();
app.MapCatalog();

await app.RunAsync();
