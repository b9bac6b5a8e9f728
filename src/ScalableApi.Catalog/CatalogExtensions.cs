using ScalableApi.Catalog.Imports;
using ScalableApi.Catalog.Products;
using ScalableApi.Platform.Jobs;

namespace ScalableApi.Catalog;

/// <summary>Everything the catalog service registers and maps beyond the platform.</summary>
internal static class CatalogExtensions
{
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        builder.AddDatabase(typeof(CatalogExtensions).Assembly);
        builder.AddIdempotency();
        builder.Services.AddSingleton<ProductStore>();
        builder.Services.AddSingleton<ProductCache>();
        builder.Services.AddOptions<ImportOptions>()
            .Bind(builder.Configuration.GetSection(ImportOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ProductImportStore>();
        builder.AddJobs();
        builder.AddJobHandler<ProductImportHandler>();
        return builder;
    }

    public static WebApplication MapCatalog(this WebApplication app)
    {
        app.MapProductsApi();
        app.MapImportsApi();
        app.MapJobsApi();
        return app;
    }
}
