// A bare YARP reverse proxy for bench/run: every request to the destinations in `Upstreams` (comma-separated
// URLs, e.g. env Upstreams=http://127.0.0.1:5001,http://127.0.0.1:5002), balanced by PowerOfTwoChoices as our
// gateway's clusters are. No middleware, no logging providers, no metrics: the reference cost of a .NET proxy hop.
using Yarp.ReverseProxy.Configuration;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var upstreams = (builder.Configuration["Upstreams"] ?? throw new InvalidOperationException("Set Upstreams to the destinations' URLs."))
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "upstreams", Match = new RouteMatch { Path = "/{**rest}" } }],
    [
        new ClusterConfig
        {
            ClusterId = "upstreams",
            LoadBalancingPolicy = "PowerOfTwoChoices",
            Destinations = upstreams.Select((url, i) => (url, i)).ToDictionary(d => $"d{d.i}", d => new DestinationConfig { Address = d.url }),
        },
    ]);

var app = builder.Build();
app.MapGet("/bench-health", () => TypedResults.Ok());
app.MapReverseProxy();
app.Run();
