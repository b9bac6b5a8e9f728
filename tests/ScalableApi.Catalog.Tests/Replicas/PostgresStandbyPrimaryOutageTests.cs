namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// The primary goes down while the service runs (its own primary, <see cref="OwnPrimaryFixture"/>: the shared one is
/// never stopped): every write answers 503 problem+json with <c>Retry-After</c> (not a 500, not a hang) while anonymous
/// reads are served by the standby; once the primary is back the same service takes writes again, a retried keyed
/// create included.
/// </summary>
public sealed class PostgresStandbyPrimaryOutageTests(OwnPrimaryFixture factory) : StandbySuite<OwnPrimaryFixture>(factory)
{
    [SkippableFact]
    public async Task Writes_answer_503_while_the_primary_is_down_reads_stay_on_the_standby_and_writes_resume_when_it_is_back()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await Factory.CreateAsync(name: $"{marker} old");
        var database = Factory.Services.GetRequiredService<IDatabase>();
        await Factory.Primary.Standby.CaughtUpAsync(Factory.DatabaseName);
        await Eventually.HoldsAsync(() => StandbyFixture.OnStandbyAsync(database), "reads reach the standby");
        using var admin = Factory.CreateClient(Factory.Tokens.Admin());
        using var anonymous = Factory.CreateClient();
        // Far above the connection timeout (5 s): a request that waits for the primary for ever fails here.
        admin.Timeout = anonymous.Timeout = TimeSpan.FromSeconds(30);
        var idempotencyKey = Guid.NewGuid().ToString();
        var limit = 0;

        await Factory.Primary.StopAsync();
        try
        {
            // Rounds: the first writes meet pooled sessions the shutdown ended, later ones a host Npgsql knows is down
            // (between its rechecks) or a refused connection (at a recheck).
            for (var round = 0; round < 3; round++)
            {
                await UnavailableAsync(await admin.PostAsJsonAsync("/api/products", CatalogClient.Body($"{marker} more")));
                await UnavailableAsync(await admin.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body($"{marker} new")));
                await UnavailableAsync(await admin.DeleteAsync($"/api/products/{created.Id}"));
                await UnavailableAsync(await KeyedCreateAsync(admin, idempotencyKey, marker));

                Assert.Equal($"{marker} old", await NameOnFreshPageAsync(anonymous, marker, ++limit));
                using var single = await anonymous.GetAsync($"/api/products/{created.Id}");
                Assert.Equal(HttpStatusCode.OK, single.StatusCode);
                await Task.Delay(TimeSpan.FromMilliseconds(500)); // Spread the rounds over Npgsql's 1 s recheck.
            }

            Assert.True(await StandbyFixture.OnStandbyAsync(database));
        }
        finally
        {
            await Factory.Primary.StartAgainAsync();
        }

        await Eventually.HoldsAsync(
            async () =>
            {
                using var put = await admin.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body($"{marker} new"));
                return put.StatusCode == HttpStatusCode.OK;
            },
            "writes succeed once the primary is back",
            seconds: 30);
        using (var keyed = await KeyedCreateAsync(admin, idempotencyKey, marker))
        {
            Assert.Equal(HttpStatusCode.Created, keyed.StatusCode);
        }

        await Factory.Primary.Standby.CaughtUpAsync(Factory.DatabaseName);
        await Eventually.HoldsAsync(
            async () => await NameOnFreshPageAsync(anonymous, $"{marker} new", ++limit) == $"{marker} new",
            "the write reaches the standby's readers");
    }

    private static async Task<HttpResponseMessage> KeyedCreateAsync(HttpClient client, string key, string marker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/products") { Content = JsonContent.Create(CatalogClient.Body($"{marker} keyed")) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task UnavailableAsync(HttpResponseMessage response)
    {
        using (response)
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }
}
