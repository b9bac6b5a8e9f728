namespace ScalableApi.Catalog.Tests.Support;

/// <summary>The catalog service on a fresh SQLite file (one per test class).</summary>
public sealed class SqliteFixture() : ServiceFactory<Program>(DatabaseEngine.Sqlite);

/// <summary>The catalog service on a fresh PostgreSQL database (one per test class).</summary>
public sealed class PostgresFixture() : ServiceFactory<Program>(DatabaseEngine.Postgres);
