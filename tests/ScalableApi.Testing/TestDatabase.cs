using Npgsql;
using ScalableApi.Platform.Data;

namespace ScalableApi.Testing;

/// <summary>
/// A fresh, empty database for one fixture: a SQLite file in a temp folder, or a new database on the
/// PostgreSQL server named by <see cref="PostgresEnvironmentVariable"/> (dropped afterwards).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>Admin connection string of the PostgreSQL server tests use, e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres</c>.</summary>
    public const string PostgresEnvironmentVariable = "SCALABLEAPI_TEST_POSTGRES";

    private readonly string? _postgresAdmin;
    private readonly string? _postgresName;
    private readonly string? _sqliteFolder;

    private TestDatabase(DatabaseEngine engine, string connectionString, string? postgresAdmin, string? postgresName, string? sqliteFolder)
    {
        Engine = engine;
        ConnectionString = connectionString;
        _postgresAdmin = postgresAdmin;
        _postgresName = postgresName;
        _sqliteFolder = sqliteFolder;
    }

    public DatabaseEngine Engine { get; }

    public string ConnectionString { get; }

    /// <summary>True when a PostgreSQL server is configured for tests.</summary>
    public static bool PostgresAvailable => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresEnvironmentVariable));

    /// <summary>
    /// Outside CI, PostgreSQL tests skip when no server is configured; in CI (<c>CI=true</c>) a missing server
    /// is a failure, so a green run always includes the PostgreSQL runs.
    /// </summary>
    public static void SkipUnlessPostgres() =>
        CiRequirement.SkipUnlessPresent(PostgresAvailable ? null : $"{PostgresEnvironmentVariable} is not set", "PostgreSQL");

    /// <summary>
    /// For a PostgreSQL variant's base-constructor argument, so the variant is one line like its SQLite twin
    /// (<c>class PostgresXTests(PostgresFixture f) : XTests(TestDatabase.RequirePostgres(f)), IClassFixture&lt;PostgresFixture&gt;;</c>):
    /// <see cref="SkipUnlessPostgres"/>, then hands <paramref name="fixture"/> on.
    /// </summary>
    public static T RequirePostgres<T>(T fixture)
    {
        SkipUnlessPostgres();
        return fixture;
    }

    public static Task<TestDatabase> CreateAsync(DatabaseEngine engine) =>
        engine == DatabaseEngine.Postgres ? CreatePostgresAsync() : Task.FromResult(CreateSqlite());

    public static TestDatabase CreateSqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), "scalableapi-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new TestDatabase(DatabaseEngine.Sqlite, $"Data Source={Path.Combine(folder, "test.db")}", null, null, folder);
    }

    public static async Task<TestDatabase> CreatePostgresAsync()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresEnvironmentVariable)
            ?? throw new InvalidOperationException($"{PostgresEnvironmentVariable} is not set.");
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(DatabaseEngine.Postgres, builder.ToString(), admin, name, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }

        if (_sqliteFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_sqliteFolder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a finalising connection: the temp folder is cleaned by the OS later.
            }
        }
    }
}
