namespace ScalableApi.AppHost;

/// <summary>
/// The configuration each service gets from the AppHost, in the <c>Section__Key</c> environment form.
/// Shared by the Aspire topology and <c>create-admin</c>, so the command sees exactly the users service's database.
/// </summary>
internal sealed class ServiceEnvironment(AppHostOptions options)
{
    public const string Users = "users";
    public const string Catalog = "catalog";
    public const string Content = "content";

    public static IReadOnlyList<string> Services { get; } = [Users, Catalog, Content];

    public string DataDirectory => options.DataDirectory;

    public bool UsesPostgres => options.Postgres is not null;

    /// <summary>Platform and Database settings of <paramref name="service"/>.</summary>
    public IReadOnlyDictionary<string, string> For(string service) => new Dictionary<string, string>
    {
        ["Platform__DataDirectory"] = options.DataDirectory,
        ["Database__Provider"] = UsesPostgres ? "postgres" : "sqlite",
        ["Database__ConnectionString"] = options.Postgres is { } server
            ? PostgresDatabases.ForService(server, service)
            : $"Data Source={Path.Combine(options.DataDirectory, $"{service}.db")}",
    };

    /// <summary>One line per service for the banner, without passwords.</summary>
    public string DescribeStorage() => UsesPostgres
        ? $"PostgreSQL databases {string.Join(", ", Services.Select(PostgresDatabases.DatabaseName))}"
        : $"SQLite files in {options.DataDirectory}";
}
