using Prometheus;

namespace ScalableApi.Platform.Observability;

/// <summary>How a .NET instrument's measurements land in Prometheus (see <see cref="PlatformMeters"/>).</summary>
internal enum BridgedShape
{
    /// <summary>Counter: each measurement is an increment of a counter.</summary>
    CounterAdd,

    /// <summary>ObservableCounter: each measurement is the counter's current total.</summary>
    CounterTo,

    /// <summary>UpDownCounter (and other libraries' counters, as the adapter exports them): an increment of a gauge.</summary>
    GaugeAdd,

    /// <summary>ObservableGauge, ObservableUpDownCounter: the gauge's current value.</summary>
    GaugeSet,

    /// <summary>Histogram: an observation.</summary>
    Histogram,
}

/// <summary>One prometheus-net collector of a bridged instrument: the series for one set of tag keys.</summary>
internal sealed class BridgedFamily
{
    private readonly string[] _keys;
    private readonly BridgedShape _shape;
    private readonly Counter? _counter;
    private readonly Gauge? _gauge;
    private readonly Histogram? _histogram;

    public BridgedFamily(string[] keys, Collector collector, BridgedShape shape)
    {
        _keys = keys;
        _shape = shape;
        _counter = collector as Counter;
        _gauge = collector as Gauge;
        _histogram = collector as Histogram;
    }

    /// <summary>Whether the measurement's tag keys, taken in <paramref name="order"/>, are this family's label names.</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags, ReadOnlySpan<int> order)
    {
        if (_keys.Length != tags.Length)
        {
            return false;
        }

        for (var i = 0; i < _keys.Length; i++)
        {
            var key = tags[order[i]].Key;
            // Tag keys are usually the same literal each time: a reference comparison settles it.
            if (!ReferenceEquals(_keys[i], key) && !string.Equals(_keys[i], key, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public void Record(double value, ReadOnlySpan<string> labels)
    {
        switch (_shape)
        {
            case BridgedShape.CounterAdd when value >= 0:
                CounterOf(labels).Inc(value);
                break;
            case BridgedShape.CounterTo:
                CounterOf(labels).IncTo(value);
                break;
            case BridgedShape.GaugeAdd:
                GaugeOf(labels).Inc(value);
                break;
            case BridgedShape.GaugeSet:
                GaugeOf(labels).Set(value);
                break;
            case BridgedShape.Histogram:
                HistogramOf(labels).Observe(value);
                break;
        }
    }

    /// <summary>Removes the labelled series whose values (joined by U+001F) are not in <paramref name="observed"/>.</summary>
    public void RemoveAllBut(HashSet<string> observed)
    {
        if (_keys.Length == 0)
        {
            return;
        }

        var stale = (_counter?.GetAllLabelValues() ?? _gauge?.GetAllLabelValues() ?? [])
            .Where(values => !observed.Contains(string.Join('\u001f', values)))
            .ToList();
        foreach (var values in stale)
        {
            _counter?.RemoveLabelled(values);
            _gauge?.RemoveLabelled(values);
        }
    }

    // Without labels the collector is its own (unlabelled) series.
    private ICounter CounterOf(ReadOnlySpan<string> labels) => labels.IsEmpty ? _counter! : _counter!.WithLabels(labels);

    private IGauge GaugeOf(ReadOnlySpan<string> labels) => labels.IsEmpty ? _gauge! : _gauge!.WithLabels(labels);

    private IHistogram HistogramOf(ReadOnlySpan<string> labels) => labels.IsEmpty ? _histogram! : _histogram!.WithLabels(labels);
}
