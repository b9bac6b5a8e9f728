namespace ScalableApi.Catalog.Tests.Imports;

/// <summary><c>Catalog:Import</c> options are checked when the catalog starts: a bad value stops it, naming the key.</summary>
public sealed class ImportOptionsTests
{
    [Theory]
    [InlineData("Catalog:Import:MaxBodyBytes", "1000")]
    [InlineData("Catalog:Import:MaxLineBytes", "100")]
    [InlineData("Catalog:Import:MaxLineBytes", "20000000")]
    [InlineData("Catalog:Import:ChunkBytes", "1024")]
    [InlineData("Catalog:Import:BatchSize", "0")]
    [InlineData("Catalog:Import:BatchSize", "many")]
    public Task ImportOptions_refuse(string key, string value) =>
        StartupFailure.AssertNamesKeyAsync(settings => new CatalogService(settings), key, value);

    private sealed class CatalogService(Dictionary<string, string?> settings) : ServiceFactory<Program>(DatabaseEngine.Sqlite)
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => settings;
    }
}
