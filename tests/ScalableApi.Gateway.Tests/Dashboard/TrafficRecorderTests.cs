using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using ScalableApi.Gateway.Dashboard;

namespace ScalableApi.Gateway.Tests.Dashboard;

/// <summary>The dashboard's last minute, counted from this host's own request instrument.</summary>
public sealed class TrafficRecorderTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Requests_errors_and_latency_of_a_second_show_once_it_is_over_and_other_hosts_are_not_counted()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        using var recorder = new TrafficRecorder(factory, _time);
        var duration = factory.Create("ScalableApi").CreateHistogram<double>("http_request_duration_seconds");
        using var otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var elsewhere = otherHost.GetRequiredService<IMeterFactory>().Create("ScalableApi").CreateHistogram<double>("http_request_duration_seconds");

        for (var i = 0; i < 98; i++)
        {
            duration.Record(0.004, Tags("200"));
        }

        duration.Record(0.004, Tags("404"));
        duration.Record(2.0, Tags("502"));
        duration.Record(120, new("method", "GET"), new("route", "/dashboard/stream"), new("status", "200"));
        elsewhere.Record(0.004, Tags("200"));
        _time.Advance(TimeSpan.FromSeconds(1));

        var last = recorder.LastMinute()[^1];
        Assert.Equal(100, last.Requests);
        Assert.Equal(1, last.ClientErrors);
        Assert.Equal(1, last.ServerErrors);
        Assert.InRange(TrafficRecorder.Percentile(last.Latency, 0.5)!.Value, 3, 5);
        Assert.InRange(TrafficRecorder.Percentile(last.Latency, 0.999)!.Value, 1000, 2000);
        Assert.Equal(100, last.Routes["GET /api/products/{**rest}"].Requests);

        _time.Advance(TimeSpan.FromSeconds(TrafficRecorder.Seconds));
        Assert.All(recorder.LastMinute(), s => Assert.Equal(0, s.Requests));
    }

    [Fact]
    public void Rate_limit_and_overload_rejections_show_in_the_second_they_happened()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        using var recorder = new TrafficRecorder(factory, _time);
        var rateLimited = factory.Create("ScalableApi.Gateway").CreateCounter<long>("gateway_ratelimit_rejections_total");
        // The concurrency limit's counter is observable and cumulative, as the platform's middleware exports it.
        long overloadedSoFar = 5;
        factory.Create("ScalableApi").CreateObservableCounter("http_concurrency_rejections_total", () => overloadedSoFar);

        // The rejections from before the recorder first looked are not this minute's.
        Assert.All(recorder.LastMinute(), s => Assert.Equal(0, s.Overloaded));
        rateLimited.Add(1, new KeyValuePair<string, object?>("policy", "anonymous"));
        rateLimited.Add(1, new KeyValuePair<string, object?>("policy", "login"));
        rateLimited.Add(1, new KeyValuePair<string, object?>("policy", "anonymous"));
        overloadedSoFar = 7;
        recorder.LastMinute();
        _time.Advance(TimeSpan.FromSeconds(1));

        var last = recorder.LastMinute()[^1];
        Assert.Equal(3, last.RateLimited);
        Assert.Equal(2, last.Overloaded);
        Assert.Equal(5, recorder.LastMinute().Sum(s => s.RateLimited + s.Overloaded));
    }

    public void Dispose() => _services.Dispose();

    private static KeyValuePair<string, object?>[] Tags(string status) =>
        [new("method", "GET"), new("route", "/api/products/{**rest}"), new("status", status)];
}
