using ScalableApi.Platform.Observability;

namespace ScalableApi.Platform.Tests.Observability;

/// <summary>
/// The request log as an operator reads it: one JSON line per request on stdout, with what was asked, the route
/// it matched, how it ended and how long it took, tied to the response's <c>X-Request-Id</c> and the trace.
/// </summary>
public sealed class RequestLogTests : IAsyncLifetime
{
    private readonly CapturedLogStream _log = new();
    private ProbeApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await ProbeApp.StartAsync(services: s => s.AddSingleton(new LogOutput(_log)));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Each_request_writes_one_line_with_method_path_route_status_elapsed_and_its_request_id()
    {
        using var client = _app.CreateClient();
        using var response = await client.GetAsync("/probe/items/7");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));

        var line = await _log.RequestLineAsync(requestId);

        Assert.Equal("GET", line.GetProperty("RequestMethod").GetString());
        Assert.Equal("/probe/items/7", line.GetProperty("RequestPath").GetString());
        Assert.Equal("/probe/items/{id:long}", line.GetProperty("Route").GetString());
        Assert.Equal(200, line.GetProperty("StatusCode").GetInt32());
        Assert.True(line.GetProperty("Elapsed").GetDouble() >= 0);
        Assert.Equal("probe", line.GetProperty("Service").GetString());
        Assert.False(line.TryGetProperty("@l", out _), "a success is logged at Information, the level left out");
        Assert.Matches("^[0-9a-f]{32}$", line.GetProperty("@tr").GetString());
        Assert.Contains("GET /probe/items/7 responded 200 in", line.GetProperty("@m").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(line.GetProperty("@t").GetString(), out _));
    }

    [Fact]
    public async Task A_failed_request_is_logged_as_an_error_with_its_status()
    {
        using var client = _app.CreateClient();
        using var response = await client.GetAsync("/probe/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);

        var line = await _log.RequestLineAsync(Assert.Single(response.Headers.GetValues("X-Request-Id")));

        Assert.Equal("Error", line.GetProperty("@l").GetString());
        Assert.Equal(500, line.GetProperty("StatusCode").GetInt32());
        Assert.Equal("/probe/boom", line.GetProperty("Route").GetString());
    }

    [Fact]
    public async Task A_request_the_client_abandoned_is_recorded_as_499_not_as_the_answer_it_never_got()
    {
        using var client = _app.CreateClient();
        using var abandon = new CancellationTokenSource();
        var request = client.GetAsync("/probe/slow", abandon.Token);
        await Eventually.HoldsAsync(() => Task.FromResult(_app.Gate.Waiting == 1), "the request is held at the gate");
        await abandon.CancelAsync();
        // The endpoint does not watch the token: it finishes with its 200 once the gate opens, after the client left.
        _app.Gate.Open();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.WaitAsync(TimeSpan.FromSeconds(10)));

        JsonElement line = default;
        await Eventually.HoldsAsync(
            () =>
            {
                line = _log.Lines().LastOrDefault(l => l.TryGetProperty("RequestPath", out var p) && p.GetString() == "/probe/slow");
                return Task.FromResult(line.ValueKind == JsonValueKind.Object);
            },
            "the request line of the abandoned request");
        Assert.Equal(499, line.GetProperty("StatusCode").GetInt32());
        Assert.False(line.TryGetProperty("@l", out _), "a client hanging up is not an error of the service");
        (await MetricsPage.ScrapeAsync(client)).AssertContains("route=\"/probe/slow\",status=\"499\"");
    }

    [Fact]
    public async Task Health_probes_and_metrics_scrapes_write_no_request_line()
    {
        using var client = _app.CreateClient();
        (await client.GetAsync("/health/live")).Dispose();
        (await client.GetAsync("/metrics")).Dispose();
        using var marker = await client.GetAsync("/probe/items/8");

        // Lines reach the output in order: once the later request's line is there, the probes' would be too.
        await _log.RequestLineAsync(Assert.Single(marker.Headers.GetValues("X-Request-Id")));

        Assert.DoesNotContain(_log.Lines(), line =>
            line.TryGetProperty("RequestPath", out var path) && path.GetString() is "/health/live" or "/metrics");
    }
}
