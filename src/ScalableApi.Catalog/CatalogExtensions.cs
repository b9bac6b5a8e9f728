using ScalableApi.Catalog.Products;
using ScalableApi.Platform.Data;

namespace ScalableApi.Catalog;

/// <summary>Everything the catalog service registers and maps beyond the platform.</summary>
internal static class CatalogExtensions
{
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        builder.AddDatabase(typeof(CatalogExtensions).Assembly);
        builder.Services.AddSingleton<ProductStore>();
        builder.Services.AddSingleton<ProductCache>();
        return builder;
    }

    public static WebApplication MapCatalog(this WebApplication app)
    {
        app.MapProductsApi();
        return app;
    }
}
