using Xunit.Abstractions;

namespace ScalableApi.System.Tests.Fuzz;

/// <summary>
/// Hostile input at volume (issue 15, point 8): a seeded stream of 10,000+ requests through the gateway across every
/// route of SPEC §2, with mutated JSON, wrong types, sizes, unicode, odd headers, garbled and forged tokens, odd ids
/// and query strings, sent as nobody, as a stranger and (for reads) as the admin. What must hold, whatever arrives:
/// no 5xx, no dropped connection, no stack trace, type name, SQL or file path in a body, and a victim's data unchanged.
/// The seed is printed first; <c>SCALABLEAPI_FUZZ_SEED</c> replays a run.
/// </summary>
[Trait("Category", "LongRunning")]
public sealed class HostileInputFuzzTests(SystemTopology topology, ITestOutputHelper output) : SharedTopologySuite(topology)
{
    private const int Requests = 10_000;
    private const int Concurrency = 8;

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_no_5xx_no_leak_and_change_no_victim_data()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SCALABLEAPI_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var given)
            ? given
            : Random.Shared.Next();
        output.WriteLine($"fuzz seed {seed} (replay: SCALABLEAPI_FUZZ_SEED={seed})");

        var victims = await Victims.CreateAsync(Client);
        var stranger = await Client.NewUserAsync("stranger");
        var before = await victims.SnapshotAsync(Client);
        var requests = new FuzzRequests(seed, victims, stranger);

        // Header values go out as UTF-8 bytes, as a hostile client would send them (HttpClient refuses non-ASCII otherwise).
        using var fuzzClient = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        })
        {
            BaseAddress = Topology.GatewayAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var next = -1;
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < Requests)
            {
                var request = requests.Create(index);
                var outcome = await FuzzVerdict.SendAsync(fuzzClient, request);
                lock (failures)
                {
                    statuses[outcome.Status] = statuses.GetValueOrDefault(outcome.Status) + 1;
                    if (outcome.Failure is not null && failures.Count < 20)
                    {
                        failures.Add($"#{index} {request.Method} {request.RequestUri}: {outcome.Failure}");
                    }
                }
            }
        });
        await Task.WhenAll(workers);

        output.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.Count == 0, $"seed {seed}:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        Assert.Equal(Requests, statuses.Values.Sum());

        var after = await victims.SnapshotAsync(Client);
        Assert.Equal(before, after);
    }
}
