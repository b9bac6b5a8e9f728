using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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
    // Bounds the child cache: label values minted per call (an unusual status code's text) stop being cached there.
    private const int MaxCachedChildren = 4096;

    private readonly string[] _keys;
    private readonly BridgedShape _shape;
    private readonly Counter? _counter;
    private readonly Gauge? _gauge;
    private readonly Histogram? _histogram;

    // prometheus-net's own lookup hashes every label string and takes a lock on each measurement; callers pass the
    // same string instances again and again (route templates, literals, destination ids), so a child is first looked
    // up by the identity of its label values.
    private readonly ConcurrentDictionary<ChildKey, object> _children = new();
    private int _cachedChildren;

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

        if (stale.Count > 0)
        {
            // A removed child is no longer exported: it must not be found in the cache again.
            _children.Clear();
            Volatile.Write(ref _cachedChildren, 0);
        }
    }

    // Without labels the collector is its own (unlabelled) series.
    private ICounter CounterOf(ReadOnlySpan<string> labels) => labels.IsEmpty ? _counter! : (ICounter)Child(labels);

    private IGauge GaugeOf(ReadOnlySpan<string> labels) => labels.IsEmpty ? _gauge! : (IGauge)Child(labels);

    private IHistogram HistogramOf(ReadOnlySpan<string> labels) => labels.IsEmpty ? _histogram! : (IHistogram)Child(labels);

    private object Child(ReadOnlySpan<string> labels)
    {
        if (labels.Length > ChildKey.Capacity)
        {
            return Resolve(labels);
        }

        var key = new ChildKey(labels);
        if (_children.TryGetValue(key, out var child))
        {
            return child;
        }

        child = Resolve(labels);
        if (Volatile.Read(ref _cachedChildren) < MaxCachedChildren && _children.TryAdd(key, child))
        {
            Interlocked.Increment(ref _cachedChildren);
        }

        return child;
    }

    private object Resolve(ReadOnlySpan<string> labels) =>
        _counter is not null ? _counter.WithLabels(labels)
        : _gauge is not null ? _gauge.WithLabels(labels)
        : _histogram!.WithLabels(labels);

    /// <summary>Up to four label values, compared and hashed by reference.</summary>
    private readonly struct ChildKey : IEquatable<ChildKey>
    {
        public const int Capacity = 4;

        private readonly string? _a;
        private readonly string? _b;
        private readonly string? _c;
        private readonly string? _d;
        private readonly int _count;

        public ChildKey(ReadOnlySpan<string> labels)
        {
            _count = labels.Length;
            _a = labels.Length > 0 ? labels[0] : null;
            _b = labels.Length > 1 ? labels[1] : null;
            _c = labels.Length > 2 ? labels[2] : null;
            _d = labels.Length > 3 ? labels[3] : null;
        }

        public bool Equals(ChildKey other) =>
            _count == other._count && ReferenceEquals(_a, other._a) && ReferenceEquals(_b, other._b)
            && ReferenceEquals(_c, other._c) && ReferenceEquals(_d, other._d);

        public override bool Equals(object? obj) => obj is ChildKey other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(
            _count, RuntimeHelpers.GetHashCode(_a), RuntimeHelpers.GetHashCode(_b), RuntimeHelpers.GetHashCode(_c), RuntimeHelpers.GetHashCode(_d));
    }
}
