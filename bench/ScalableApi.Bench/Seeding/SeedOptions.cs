namespace ScalableApi.Bench.Seeding;

internal sealed record SeedOptions(
    string UsersDatabase,
    string CatalogDatabase,
    string ContentDatabase,
    int Users,
    int Products,
    int Posts,
    int Comments,
    string Password)
{
    public static SeedOptions From(Options options) => new(
        options.Required("users-db"),
        options.Required("catalog-db"),
        options.Required("content-db"),
        options.Number("users", 10_000),
        options.Number("products", 10_000),
        options.Number("posts", 50_000),
        options.Number("comments", 100_000),
        options.Text("password", "bench-password-1"));
}
