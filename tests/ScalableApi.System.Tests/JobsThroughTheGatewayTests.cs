using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>The import and jobs routes of SPEC §2 in the gateway's route table: admin only, at the edge too.</summary>
public sealed class JobsThroughTheGatewayTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task Jobs_are_imported_listed_and_retried_through_the_gateway_by_admins_only()
    {
        var client = Topology.GatewayClient;
        var admin = await client.AdminAsync();
        var user = await client.NewUserAsync("not-admin");
        var id = await client.ImportAsync(admin, JobsApi.Ndjson("gw" + Guid.NewGuid().ToString("N")[..8], 10));

        using (var list = await client.SendAsync(HttpMethod.Get, "/api/jobs?limit=5", admin.AccessToken))
        {
            await list.ExpectAsync(HttpStatusCode.OK);
            Assert.True((await list.JsonAsync()).GetProperty("items").GetArrayLength() >= 1);
        }

        using (var retryUnknown = await client.SendAsync(HttpMethod.Post, "/api/jobs/987654321/retry", admin.AccessToken))
        {
            await retryUnknown.ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        using (var asUser = await client.SendAsync(HttpMethod.Get, Path($"/api/jobs/{id}"), user.AccessToken))
        {
            await asUser.ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        using var import = new HttpRequestMessage(HttpMethod.Post, "/api/products/import") { Content = new StringContent("{}\n", Encoding.UTF8, "application/x-ndjson") };
        import.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var forbidden = await client.SendAsync(import);
        await forbidden.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }
}
