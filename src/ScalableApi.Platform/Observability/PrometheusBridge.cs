using System.Diagnostics.Metrics;
using Prometheus;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// This host's own meters (<see cref="PlatformMeters"/>) on <c>/metrics</c>, under the instruments' names as they
/// are, in a registry of this host's; and the instruments <see cref="PrometheusExport.IsErrorTyped"/> names, with
/// exception type names taken out of their <c>error.type</c>.
/// </summary>
/// <remarks>
/// Why not prometheus-net's own meter adapter (which exports the other libraries' meters): it names every series
/// <c>{meter}_{instrument}</c> (ours would all change name), exports counters as gauges, listens to every host in
/// the process at once into the process-wide registry, and sorts and copies the tags of each measurement with
/// LINQ. Here a measurement costs one label lookup in prometheus-net (as a static <c>WithLabels(…)</c> did), and
/// only the meters this host's <see cref="IMeterFactory"/> created are seen: a test process running several hosts
/// gets separate series per host.
/// </remarks>
internal sealed class PrometheusBridge : IDisposable
{
    private readonly IMeterFactory _meterFactory;
    private readonly IMetricFactory _metricFactory;
    private readonly MeterListener _listener = new();
    private readonly List<BridgedInstrument> _observable = [];
    private readonly List<BridgedInstrument> _undeclared = [];
    private readonly Lock _observing = new();

    public PrometheusBridge(IMeterFactory meterFactory)
    {
        _meterFactory = meterFactory;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        _metricFactory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.MeasurementsCompleted = OnMeasurementsCompleted;
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((BridgedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((BridgedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((BridgedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((BridgedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((BridgedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((BridgedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((BridgedInstrument)state!).Record((double)value, tags));
        // Observable instruments are read when /metrics is scraped: always current, no timer.
        Registry.AddBeforeCollectCallback(Observe);
        _listener.Start();
    }

    /// <summary>This host's series; <c>/metrics</c> writes it after the process-wide registry.</summary>
    public CollectorRegistry Registry { get; }

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        var ours = PlatformMeters.IsOurs(meter.Name);
        var thisHost = ReferenceEquals(meter.Scope, _meterFactory);
        BridgedInstrument? bridged = null;
        if (ours && thisHost)
        {
            bridged = BridgedInstrument.Own(instrument, _metricFactory);
        }
        else if (!ours && PrometheusExport.IsErrorTyped(instrument) && (thisHost || meter.Scope is null))
        {
            // Process-wide meters (the runtime's) have no scope; another host's Kestrel meter is that host's business.
            bridged = BridgedInstrument.Foreign(instrument, _metricFactory);
        }

        if (bridged is null)
        {
            return;
        }

        lock (_undeclared)
        {
            _undeclared.Add(bridged);
        }

        if (bridged.IsObservable)
        {
            lock (_observable)
            {
                _observable.Add(bridged);
            }
        }

        listener.EnableMeasurementEvents(instrument, bridged);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is BridgedInstrument { IsObservable: true } bridged)
        {
            lock (_observable)
            {
                _observable.Remove(bridged);
            }
        }
    }

    private void Observe()
    {
        // Labels are declared just after an instrument is created (and published); by the first scrape they are known.
        lock (_undeclared)
        {
            foreach (var instrument in _undeclared)
            {
                instrument.DeclareFamily();
            }

            _undeclared.Clear();
        }

        lock (_observing)
        {
            BridgedInstrument[] observable;
            lock (_observable)
            {
                observable = [.. _observable];
            }

            foreach (var instrument in observable)
            {
                instrument.BeginObservation();
            }

            _listener.RecordObservableInstruments();
            foreach (var instrument in observable)
            {
                instrument.EndObservation();
            }
        }
    }
}
