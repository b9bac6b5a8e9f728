using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Catalog.Products;
using ScalableApi.Platform.Data;

namespace ScalableApi.Catalog;

/// <summary>Everything the catalog service registers and maps beyond the platform.</summary>
public static class CatalogExtensions
{
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        builder.AddDatabase(typeof(CatalogExtensions).Assembly);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProductStore>();
        builder.Services.AddSingleton<ProductCache>();
        return builder;
    }

    public static WebApplication MapCatalogApi(this WebApplication app)
    {
        app.MapProductsApi();
        return app;
    }
}
