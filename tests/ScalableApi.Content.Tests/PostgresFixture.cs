namespace ScalableApi.Content.Tests;

/// <summary>The content service on a fresh PostgreSQL database, shared by one test class.</summary>
public sealed class PostgresFixture() : ServiceFactory<Program>(DatabaseEngine.Postgres);
