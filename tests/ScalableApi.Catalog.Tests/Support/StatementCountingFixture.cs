namespace ScalableApi.Catalog.Tests.Support;

/// <summary>The catalog on SQLite with every SQL statement counted (see <see cref="StatementCountingFactory{TProgram}"/>).</summary>
public sealed class StatementCountingSqliteFixture() : StatementCountingSqliteFactory;

/// <summary>The counting catalog on SQLite, to derive from when a test needs more settings (a Redis store, a shared database).</summary>
public class StatementCountingSqliteFactory() : StatementCountingFactory<Program>;
