using ScalableApi.Catalog.Imports;
using ScalableApi.Catalog.Products;
using ScalableApi.Platform.Jobs;

namespace ScalableApi.Catalog;

/// <summary>The catalog service: products, and their bulk imports run as jobs.</summary>
internal sealed class CatalogService : IPlatformService
{
    public static string Name => "catalog";

    public static void AddServices(WebApplicationBuilder builder)
    {
        builder.AddFeature<ProductStore, ProductCache>();
        builder.Services.AddOptions<ImportOptions>()
            .Bind(builder.Configuration.GetSection(ImportOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ProductImportStore>();
        builder.AddJobs();
        builder.AddJobHandler<ProductImportHandler>();
    }

    public static void MapEndpoints(WebApplication app) => app
        .MapProductsApi()
        .MapImportsApi()
        .MapJobsApi();
}
