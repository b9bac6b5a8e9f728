namespace ScalableApi.Platform.Tests.Observability;

/// <summary>With an OTLP endpoint configured (the AppHost's dashboard), our own instruments are exported there too.</summary>
public sealed class OtlpMetricsTests
{
    [Fact]
    public async Task The_platforms_instruments_reach_the_OTLP_endpoint()
    {
        var received = new List<string>();
        await using var collector = await LoopbackServer.StartAsync(app => app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            lock (received)
            {
                // Protobuf carries names as plain UTF-8: enough to see which instruments came.
                received.Add(Encoding.UTF8.GetString(body.ToArray()));
            }

            return Results.Ok();
        }));

        await using var app = await ProbeApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });
        using var client = app.CreateClient();
        (await client.GetAsync("/probe/items/7")).Dispose();

        await Eventually.HoldsAsync(
            () =>
            {
                lock (received)
                {
                    return Task.FromResult(received.Any(r => r.Contains("http_request_duration_seconds", StringComparison.Ordinal)
                        && r.Contains("/probe/items/{id:long}", StringComparison.Ordinal)));
                }
            },
            "http_request_duration_seconds exported by OTLP",
            seconds: 20);
    }
}
