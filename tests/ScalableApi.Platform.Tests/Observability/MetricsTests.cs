namespace ScalableApi.Platform.Tests.Observability;

public sealed class MetricsTests(ProbeAppFixture fixture) : IClassFixture<ProbeAppFixture>
{
    [Fact]
    public async Task Request_duration_is_labelled_by_route_template_never_raw_path()
    {
        using var client = fixture.App.CreateClient();
        (await client.GetAsync("/probe/items/123456789")).Dispose();
        (await client.GetAsync("/probe/items/987654321")).Dispose();

        var metrics = await MetricsPage.ScrapeAsync(client);

        metrics.AssertContains("http_request_duration_seconds_bucket{", "route=\"/probe/items/{id:long}\"", "method=\"GET\"", "status=\"200\"");
        metrics.AssertDoesNotContain("123456789");
    }

    // The exception handler answers a throw with a 500: the metric counts what the client got, under the route.
    [Fact]
    public async Task A_request_that_throws_is_counted_as_a_500_of_its_route()
    {
        using var client = fixture.App.CreateClient();
        using var response = await client.GetAsync("/probe/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);

        var metrics = await MetricsPage.ScrapeAsync(client);

        metrics.AssertContains("http_request_duration_seconds_count{method=\"GET\",route=\"/probe/boom\",status=\"500\"} ");
        metrics.AssertDoesNotContain("route=\"/probe/boom\",status=\"200\"");
    }

    [Fact]
    public async Task Unmatched_paths_share_one_label()
    {
        using var client = fixture.App.CreateClient();
        (await client.GetAsync("/random/" + Guid.NewGuid())).Dispose();
        (await MetricsPage.ScrapeAsync(client)).AssertContains("route=\"unmatched\"", "status=\"404\"");
    }

    [Fact]
    public async Task OpenApi_document_is_served()
    {
        using var client = fixture.App.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/probe/echo", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
