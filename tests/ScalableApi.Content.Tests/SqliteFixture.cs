namespace ScalableApi.Content.Tests;

/// <summary>The content service on a fresh SQLite file, shared by one test class.</summary>
public sealed class SqliteFixture() : ServiceFactory<Program>(DatabaseEngine.Sqlite);
