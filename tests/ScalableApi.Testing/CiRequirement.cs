namespace ScalableApi.Testing;

/// <summary>
/// What a test does when a real server it needs is not configured: outside CI it skips; under <c>CI=true</c> it
/// fails, so a green CI run always includes the runs on that server.
/// </summary>
public static class CiRequirement
{
    /// <summary>
    /// Returns when <paramref name="missing"/> is null (everything is there); otherwise skips the test, or under
    /// <c>CI=true</c> fails it, naming what is missing and which <paramref name="runs"/> need it.
    /// </summary>
    public static void SkipUnlessPresent(string? missing, string runs)
    {
        if (missing is null)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"CI=true but {missing}: the {runs} runs must happen in CI.");
        }

        Skip.If(true, $"{missing}: {runs} tests skipped (they run in .ci/run).");
    }

    /// <summary>
    /// For a suite's base-constructor argument: skips the test (fails it under <c>CI=true</c>) unless PostgreSQL and a
    /// redis-server are configured, and hands <paramref name="fixture"/> on.
    /// </summary>
    public static T PostgresAndRedisServer<T>(T fixture)
    {
        TestRedis.SkipUnless(RedisStoreKind.RedisServer);
        return TestDatabase.RequirePostgres(fixture);
    }
}
