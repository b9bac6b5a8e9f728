using System.Data.Common;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// Every pooled connection held (a pool of two, a three-second connection timeout): a read and a write each answer 503
/// problem+json with <c>Retry-After</c> once the connection timeout is over, instead of hanging or answering 500.
/// </summary>
public sealed class PostgresPoolExhaustionTests(PostgresPoolExhaustionTests.Fixture factory) : IClassFixture<PostgresPoolExhaustionTests.Fixture>
{
    private const int PoolSize = 2;
    private readonly Fixture _factory = TestDatabase.RequirePostgres(factory);

    public sealed class Fixture() : ServiceFactory<Program>(DatabaseEngine.Postgres)
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [
            new("Database:MaxPoolSize", PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Database:ConnectionTimeoutSeconds", "3"),
        ];
    }

    [SkippableFact]
    public async Task An_exhausted_pool_answers_503_problem_json_within_the_connection_timeout()
    {
        var (created, _) = await _factory.CreateAsync();
        var database = _factory.Services.GetRequiredService<IDatabase>();
        var held = new List<DbConnection>();
        try
        {
            for (var i = 0; i < PoolSize; i++)
            {
                held.Add(await database.OpenWriteAsync());
            }

            using var admin = _factory.CreateClient(_factory.Tokens.Admin());
            // Far above the connection timeout: a request waiting for a connection for ever fails here.
            admin.Timeout = TimeSpan.FromSeconds(30);

            // A page no one has cached: the read needs a connection (the product itself is cached by its creation).
            using (var read = await admin.GetAsync($"/api/products?q={CatalogClient.UniqueMarker()}"))
            {
                await ProblemAssert.IsProblemAsync(read, HttpStatusCode.ServiceUnavailable);
                Assert.NotNull(read.Headers.RetryAfter);
            }

            using (var write = await admin.PostAsJsonAsync("/api/products", CatalogClient.Body()))
            {
                await ProblemAssert.IsProblemAsync(write, HttpStatusCode.ServiceUnavailable);
                Assert.NotNull(write.Headers.RetryAfter);
            }
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }

        using var again = _factory.CreateClient(_factory.Tokens.Admin());
        using var recovered = await again.GetAsync($"/api/products/{created.Id}");
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }
}
