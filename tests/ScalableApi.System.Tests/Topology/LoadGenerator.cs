using System.Collections.Concurrent;
using System.Diagnostics;

namespace ScalableApi.System.Tests.Topology;

/// <summary>
/// Concurrent clients sending GETs through one HttpClient until stopped; every non-2xx answer or exception is
/// recorded with the path and when it happened. Also used by the benchmark runner's smoke scenarios.
/// </summary>
public sealed class LoadGenerator(HttpClient client, int clients, Func<int, string> pathForRequest)
{
    private readonly ConcurrentQueue<Failure> _failures = new();
    private readonly Stopwatch _clock = new();
    private long _requests;
    private long _counter;

    public long Requests => Interlocked.Read(ref _requests);

    public IReadOnlyCollection<Failure> Failures => _failures;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Sends until <paramref name="stop"/> is cancelled; returns when every client has finished its last request.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        _clock.Start();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() => ClientAsync(stop), CancellationToken.None)));
        _clock.Stop();
    }

    private async Task ClientAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var path = pathForRequest((int)Interlocked.Increment(ref _counter));
            var at = _clock.Elapsed;
            try
            {
                // Not cancelled by stop: a request in flight when the run ends still counts.
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                {
                    _failures.Enqueue(new Failure(at, path, response.StatusCode, await response.Content.ReadAsStringAsync(CancellationToken.None)));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                _failures.Enqueue(new Failure(at, path, null, ex.GetType().Name + ": " + ex.Message));
            }

            Interlocked.Increment(ref _requests);
        }
    }

    /// <summary>One failed request: status null when no response came at all.</summary>
    public sealed record Failure(TimeSpan At, string Path, HttpStatusCode? Status, string Detail)
    {
        public override string ToString() =>
            $"{At.TotalSeconds:F2}s {Path} -> {(Status is { } s ? ((int)s).ToString(global::System.Globalization.CultureInfo.InvariantCulture) : "no response")}: {Detail[..Math.Min(Detail.Length, 300)]}";
    }

    public string Describe(int max = 20) =>
        $"{Requests} requests, {_failures.Count} failed:{Environment.NewLine}{string.Join(Environment.NewLine, _failures.Take(max))}";
}
