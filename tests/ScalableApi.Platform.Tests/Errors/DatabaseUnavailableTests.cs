namespace ScalableApi.Platform.Tests.Errors;

/// <summary>
/// A database the service cannot reach for now (connection refused, no host to take the session, the server ending
/// sessions as it shuts down) answers 503 problem+json with one <c>Retry-After</c>, from the platform for every
/// service; a mistake in the SQL stays a 500.
/// </summary>
public sealed class DatabaseUnavailableTests(ProbeAppFixture fixture) : IClassFixture<ProbeAppFixture>
{
    private ProbeApp App => fixture.App;

    [Theory]
    [InlineData("/probe/db/refused")]
    [InlineData("/probe/db/no-host")]
    public async Task An_unreachable_database_is_503_with_retry_after(string path)
    {
        await UnavailableAsync(path);
    }

    [SkippableFact]
    public async Task A_session_the_server_ends_is_503_with_retry_after()
    {
        TestDatabase.SkipUnlessPostgres();
        await UnavailableAsync("/probe/db/terminated");
    }

    [SkippableFact]
    public async Task A_query_error_stays_500_without_retry_after()
    {
        TestDatabase.SkipUnlessPostgres();
        using var client = App.CreateClient();
        using var response = await client.GetAsync("/probe/db/bad-sql");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    private async Task UnavailableAsync(string path)
    {
        using var client = App.CreateClient();
        using var response = await client.GetAsync(path);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        // One header, in seconds: a client waits that long before trying again.
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("Retry-After")));
    }
}
