using System.Diagnostics.Metrics;

namespace ScalableApi.Gateway.Dashboard;

/// <summary>
/// The last minute of the gateway's traffic, one slot per second, from the gateway's own instruments (a
/// <see cref="MeterListener"/> on this host's meters: <c>http_request_duration_seconds</c>, rate-limit and overload
/// rejections), so the page shows what <c>/metrics</c> counts, not a second set of numbers. Latency goes into fixed
/// log-spaced buckets, so percentiles are bucket-interpolated (within a few per cent), and memory is bounded: 60 slots,
/// a route table bounded by the route templates.
/// </summary>
internal sealed class TrafficRecorder : IDisposable
{
    public const int Seconds = 60;

    /// <summary>Bucket upper bounds in milliseconds; the last bucket is everything above.</summary>
    internal static readonly double[] BucketsMs = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10000, 30000];

    private readonly Slot[] _slots = new Slot[Seconds];
    private readonly Lock _gate = new();
    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private readonly IMeterFactory _meterFactory;
    private long _overloadTotal = -1;

    public TrafficRecorder(IMeterFactory meterFactory, TimeProvider time)
    {
        _meterFactory = meterFactory;
        _time = time;
        for (var i = 0; i < Seconds; i++)
        {
            _slots[i] = new Slot();
        }

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this host's instruments: a test process runs several hosts, each with its own meter factory.
            if (ReferenceEquals(instrument.Meter.Scope, _meterFactory)
                && instrument.Name is "http_request_duration_seconds" or "gateway_ratelimit_rejections_total" or "http_concurrency_rejections_total")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.Start();
    }

    /// <summary>The last <see cref="Seconds"/> complete seconds, oldest first, copied.</summary>
    public IReadOnlyList<SecondView> LastMinute()
    {
        // Observable counters report on demand: the overload total is read once per snapshot and turned into a delta.
        _listener.RecordObservableInstruments();
        var now = CurrentSecond();
        var views = new SecondView[Seconds];
        lock (_gate)
        {
            for (var i = 0; i < Seconds; i++)
            {
                var second = now - Seconds + i;
                var slot = _slots[(int)(second % Seconds)];
                views[i] = slot.Stamp == second ? slot.View(second) : SecondView.Empty(second);
            }
        }

        return views;
    }

    public void Dispose() => _listener.Dispose();

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? route = null, status = null, method = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "route": route = tag.Value as string; break;
                case "status": status = tag.Value as string; break;
                case "method": method = tag.Value as string; break;
            }
        }

        // The dashboard's own stream is one request lasting minutes: it would only blur the latency it shows.
        if (route is not null && route.StartsWith(DashboardExtensions.Path, StringComparison.Ordinal))
        {
            return;
        }

        var code = status is { Length: 3 } ? status[0] : '0';
        var bucket = Bucket(value * 1000);
        var key = $"{method} {route}";
        lock (_gate)
        {
            var slot = Current();
            slot.Requests++;
            slot.ClientErrors += code == '4' ? 1 : 0;
            slot.ServerErrors += code == '5' ? 1 : 0;
            slot.Latency[bucket]++;
            if (!slot.Routes.TryGetValue(key, out var counts))
            {
                slot.Routes[key] = counts = new RouteCounts();
            }

            counts.Requests++;
            counts.Errors += code is '5' ? 1 : 0;
            counts.Latency[bucket]++;
        }
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        lock (_gate)
        {
            if (instrument.Name == "gateway_ratelimit_rejections_total")
            {
                Current().RateLimited += value;
            }
            else
            {
                // Cumulative (observable): the first reading is the baseline.
                var previous = _overloadTotal;
                _overloadTotal = value;
                if (previous >= 0 && value > previous)
                {
                    Current().Overloaded += value - previous;
                }
            }
        }
    }

    private long CurrentSecond() => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The slot of the current second, cleared when it last held an older one. Called under the lock.</summary>
    private Slot Current()
    {
        var second = CurrentSecond();
        var slot = _slots[(int)(second % Seconds)];
        if (slot.Stamp != second)
        {
            slot.Reset(second);
        }

        return slot;
    }

    internal static int Bucket(double milliseconds)
    {
        var index = Array.BinarySearch(BucketsMs, milliseconds);
        return index >= 0 ? index : ~index;
    }

    /// <summary>The value under which <paramref name="quantile"/> of the observations fall, interpolated within its bucket.</summary>
    internal static double? Percentile(long[] buckets, double quantile)
    {
        var total = buckets.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = quantile * total;
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            if (buckets[i] > 0 && seen + buckets[i] >= rank)
            {
                var lower = i == 0 ? 0 : BucketsMs[i - 1];
                var upper = i < BucketsMs.Length ? BucketsMs[i] : BucketsMs[^1] * 2;
                return Math.Round(lower + ((upper - lower) * (rank - seen) / buckets[i]), 3);
            }

            seen += buckets[i];
        }

        return BucketsMs[^1];
    }

    private sealed class Slot
    {
        public long Stamp = -1;
        public long Requests;
        public long ClientErrors;
        public long ServerErrors;
        public long RateLimited;
        public long Overloaded;
        public long[] Latency = new long[BucketsMs.Length + 1];
        public Dictionary<string, RouteCounts> Routes = new(StringComparer.Ordinal);

        public void Reset(long second)
        {
            Stamp = second;
            Requests = ClientErrors = ServerErrors = RateLimited = Overloaded = 0;
            Latency = new long[BucketsMs.Length + 1];
            Routes = new(StringComparer.Ordinal);
        }

        public SecondView View(long second) => new(
            second, Requests, ClientErrors, ServerErrors, RateLimited, Overloaded, (long[])Latency.Clone(),
            Routes.ToDictionary(r => r.Key, r => new RouteCounts { Requests = r.Value.Requests, Errors = r.Value.Errors, Latency = (long[])r.Value.Latency.Clone() }, StringComparer.Ordinal));
    }
}

internal sealed class RouteCounts
{
    public long Requests;
    public long Errors;
    public long[] Latency = new long[TrafficRecorder.BucketsMs.Length + 1];
}

/// <summary>One second of traffic as counted by <see cref="TrafficRecorder"/>.</summary>
internal sealed record SecondView(
    long Second, long Requests, long ClientErrors, long ServerErrors, long RateLimited, long Overloaded, long[] Latency,
    IReadOnlyDictionary<string, RouteCounts> Routes)
{
    public static SecondView Empty(long second) => new(second, 0, 0, 0, 0, 0, new long[TrafficRecorder.BucketsMs.Length + 1], new Dictionary<string, RouteCounts>());
}
