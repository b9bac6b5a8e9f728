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
        builder.AddFeature<ImportOptions>(ImportOptions.SectionName, static services => services.AddSingleton<ProductImportStore>());
        builder.AddJobs();
        builder.AddJobHandler<ProductImportHandler>();
    }

    public static void MapEndpoints(WebApplication app) => app
        .MapProductsApi()
        .MapImportsApi()
        .MapJobsApi();
}
