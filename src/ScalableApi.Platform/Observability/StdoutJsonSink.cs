using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// Log lines to stdout a batch at a time: Serilog's batching queue hands over what accumulated (up to a tenth of a
/// second), it is formatted into one buffer and written with one system call. The console sink wrote and flushed
/// each event on its own, one write per line: with one request log line per request, that was the largest single
/// cost of a proxied request (a third of the catalog's CPU per request in `bench/run` scenario (a)).
/// </summary>
internal sealed class StdoutJsonSink(Stream output, ITextFormatter formatter) : IBatchedLogEventSink, IDisposable
{
    private readonly StreamWriter _stdout = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024)
    {
        AutoFlush = false,
    };

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            formatter.Format(logEvent, _stdout);
        }

        _stdout.Flush();
        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose() => _stdout.Dispose();
}
