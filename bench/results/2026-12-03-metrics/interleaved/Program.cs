using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScalableApi.Platform;
using ScalableApi.Platform.Observability;

string[] routes = ["/api/products/{id:long}", "/api/posts/{id:long}", "/api/users/{id:long}", "/api/products"];
var stat = Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()).CreateHistogram("x", "x",
    new Prometheus.HistogramConfiguration { LabelNames = ["method", "route", "status"], Buckets = RequestMetrics.DurationBuckets });
var b = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
b.Services.AddSingleton(new LogOutput(Stream.Null));
b.AddPlatform("bench", Assembly.GetExecutingAssembly());
var app = b.Build(); app.UsePlatform();
var m = app.Services.GetRequiredService<RequestMetrics>();
const int N = 20000; var a = new List<double>(); var c = new List<double>();
int i = 0;
for (var round = 0; round < 300; round++)
{
    var t = Stopwatch.GetTimestamp();
    for (var k = 0; k < N; k++) stat.WithLabels("GET", routes[(i = (i + 1) & 3)], "200").Observe(0.0042);
    var ta = Stopwatch.GetElapsedTime(t).TotalNanoseconds / N;
    t = Stopwatch.GetTimestamp();
    for (var k = 0; k < N; k++) m.Record("GET", routes[(i = (i + 1) & 3)], "200", 0.0042);
    var tc = Stopwatch.GetElapsedTime(t).TotalNanoseconds / N;
    if (round >= 20) { a.Add(ta); c.Add(tc); }
}
a.Sort(); c.Sort();
Console.WriteLine($"static prometheus-net: p25 {a[a.Count/4]:F1} median {a[a.Count/2]:F1} ns");
Console.WriteLine($"meter+bridge:          p25 {c[c.Count/4]:F1} median {c[c.Count/2]:F1} ns");
