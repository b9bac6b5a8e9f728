using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text;
using Prometheus;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// One instrument as <see cref="PrometheusBridge"/> exports it: a prometheus-net collector per set of tag keys
/// (normally one), label names in alphabetical order, values looked up per measurement without allocating.
/// </summary>
internal sealed class BridgedInstrument
{
    private const int MaxLabels = 8;

    private readonly IMetricFactory _factory;
    private readonly string _name;
    private readonly string _help;
    private readonly BridgedShape _shape;
    private readonly double[]? _buckets;
    private readonly bool _foreign;
    private readonly Lock _adding = new();
    private BridgedFamily[] _families = [];

    // Label values reported during the current scrape of an observable instrument; the rest are removed after it.
    private HashSet<string>? _observed;

    private BridgedInstrument(Instrument instrument, IMetricFactory factory, string name, string help, BridgedShape shape, double[]? buckets, bool foreign)
    {
        Instrument = instrument;
        _factory = factory;
        _name = name;
        _help = help;
        _shape = shape;
        _buckets = buckets;
        _foreign = foreign;
    }

    public Instrument Instrument { get; }

    public bool IsObservable => _shape is BridgedShape.CounterTo or BridgedShape.GaugeSet;

    /// <summary>Ours: the instrument's name is the series name (see <see cref="PlatformMeters"/>).</summary>
    public static BridgedInstrument? Own(Instrument instrument, IMetricFactory factory) =>
        ShapeOf(instrument, foreign: false) is { } shape
            ? new BridgedInstrument(instrument, factory, PrometheusName(instrument.Name), instrument.Description ?? "", shape, AdvisedBuckets(instrument), foreign: false)
            : null;

    /// <summary>Another library's, named, typed and bucketed as prometheus-net's meter adapter would.</summary>
    public static BridgedInstrument? Foreign(Instrument instrument, IMetricFactory factory) =>
        ShapeOf(instrument, foreign: true) is { } shape
            ? new BridgedInstrument(
                instrument,
                factory,
                PrometheusName(instrument.Meter.Name + "_" + instrument.Name),
                $"{(string.IsNullOrWhiteSpace(instrument.Unit) ? "" : $"({instrument.Unit}) ")}{instrument.Description} ({instrument.GetType().Name})",
                shape,
                MeterAdapterOptions.DefaultHistogramBuckets,
                foreign: true)
            : null;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length > MaxLabels)
        {
            return;
        }

        try
        {
            // Label order is alphabetical; callers usually pass tags in that order already.
            Span<int> order = stackalloc int[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                var j = i;
                while (j > 0 && string.CompareOrdinal(tags[order[j - 1]].Key, tags[i].Key) > 0)
                {
                    order[j] = order[j - 1];
                    j--;
                }

                order[j] = i;
            }

            var family = FamilyFor(tags, order);
            var buffer = default(LabelValues);
            Span<string> values = buffer;
            values = values[..tags.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var tag = tags[order[i]];
                var text = tag.Value as string ?? Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
                values[i] = _foreign ? PrometheusExport.ExportedErrorType(tag.Key, text) : text;
            }

            family.Record(value, values);
            _observed?.Add(string.Join('\u001f', values));
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // Never throw into the code that recorded (a bad label set would otherwise fail a request).
            Trace.WriteLine($"{_name}: measurement not exported: {exception.Message}");
        }
    }

    /// <summary>Creates the series' family from its declared labels (<see cref="PlatformMeters.WithLabels"/>) while nothing was recorded yet.</summary>
    public void DeclareFamily()
    {
        if (Volatile.Read(ref _families).Length > 0 || PlatformMeters.DeclaredLabels(Instrument) is not { } labels)
        {
            return;
        }

        // Tags in label order (alphabetical, as Record sorts them), so the order is the identity.
        var tags = labels.Order(StringComparer.Ordinal).Select(label => new KeyValuePair<string, object?>(label, null)).ToArray();
        FamilyFor(tags, [.. Enumerable.Range(0, tags.Length)]);
    }

    public void BeginObservation() => _observed = new HashSet<string>(StringComparer.Ordinal);

    public void EndObservation()
    {
        var observed = _observed;
        _observed = null;
        if (observed is null)
        {
            return;
        }

        foreach (var family in Volatile.Read(ref _families))
        {
            family.RemoveAllBut(observed);
        }
    }

    private BridgedFamily FamilyFor(ReadOnlySpan<KeyValuePair<string, object?>> tags, ReadOnlySpan<int> order)
    {
        foreach (var family in Volatile.Read(ref _families))
        {
            if (family.Matches(tags, order))
            {
                return family;
            }
        }

        lock (_adding)
        {
            foreach (var family in _families)
            {
                if (family.Matches(tags, order))
                {
                    return family;
                }
            }

            var keys = new string[tags.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = tags[order[i]].Key;
            }

            var added = new BridgedFamily(keys, CreateCollector(Array.ConvertAll(keys, PrometheusName)), _shape);
            Volatile.Write(ref _families, [.. _families, added]);
            return added;
        }
    }

    private Collector CreateCollector(string[] labelNames) => _shape switch
    {
        BridgedShape.CounterAdd or BridgedShape.CounterTo => _factory.CreateCounter(_name, _help, labelNames),
        BridgedShape.Histogram => _factory.CreateHistogram(_name, _help, new HistogramConfiguration { LabelNames = labelNames, Buckets = _buckets }),
        _ => _factory.CreateGauge(_name, _help, labelNames),
    };

    private static BridgedShape? ShapeOf(Instrument instrument, bool foreign)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        return definition switch
        {
            // The adapter exports other libraries' counters as gauges; kept so their series read as before.
            _ when definition == typeof(Counter<>) => foreign ? BridgedShape.GaugeAdd : BridgedShape.CounterAdd,
            _ when definition == typeof(ObservableCounter<>) => BridgedShape.CounterTo,
            _ when definition == typeof(UpDownCounter<>) => BridgedShape.GaugeAdd,
            _ when definition == typeof(ObservableGauge<>) || definition == typeof(ObservableUpDownCounter<>) => BridgedShape.GaugeSet,
            _ when definition == typeof(Histogram<>) => BridgedShape.Histogram,
            _ => null,
        };
    }

    private static double[]? AdvisedBuckets(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
        Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        _ => null,
    };

    /// <summary>prometheus-net's rule: lower case, anything but letters, digits and '_' becomes '_'.</summary>
    private static string PrometheusName(string name)
    {
        var valid = name.Length > 0 && !char.IsAsciiDigit(name[0]);
        foreach (var c in name)
        {
            valid &= char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_';
        }

        if (valid)
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 1);
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            var lower = char.ToLowerInvariant(c);
            builder.Append(char.IsAsciiLetterOrDigit(lower) || lower == '_' ? lower : '_');
        }

        return builder.ToString();
    }

    [InlineArray(MaxLabels)]
    private struct LabelValues
    {
        private string _element;
    }
}
