using ScalableApi.Catalog;

return await PlatformService.RunAsync<CatalogService>(args);
