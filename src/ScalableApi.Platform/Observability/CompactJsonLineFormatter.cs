using System.Buffers;
using System.Runtime.CompilerServices;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Json;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// The log lines of <see cref="RenderedCompactJsonFormatter"/> (CLEF with <c>@m</c>), character for character, for
/// less: the event id of a template is hashed once rather than per event, and strings with nothing to escape (nearly
/// all of them) are written whole instead of checked and written a character at a time. With a line per request,
/// formatting was the gateway's largest cost on an edge-cache hit (#13.4, bench/results/2026-12-04-edgehit).
/// </summary>
/// <remarks>Anything but a string value is written by Serilog's own <see cref="JsonValueFormatter"/>, as before.</remarks>
internal sealed class CompactJsonLineFormatter : ITextFormatter
{
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    private static readonly ConditionalWeakTable<MessageTemplate, string> EventIds = [];

    private readonly JsonValueFormatter _values = new(typeTagName: "$type");

    // The rendered message of the event being formatted; one formatter serves one sink, a batch at a time.
    private readonly StringWriter _message = new(CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write("{\"@t\":\"");
        Span<char> timestamp = stackalloc char[40];
        if (logEvent.Timestamp.UtcDateTime.TryFormat(timestamp, out var written, "O", CultureInfo.InvariantCulture))
        {
            output.Write(timestamp[..written]);
        }
        else
        {
            output.Write(logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        output.Write("\",\"@m\":");
        WriteMessage(logEvent, output);
        output.Write(",\"@i\":\"");
        output.Write(EventIds.GetValue(logEvent.MessageTemplate, static template => EventIdHash.Compute(template.Text).ToString("x8", CultureInfo.InvariantCulture)));
        output.Write('"');

        if (logEvent.Level != LogEventLevel.Information)
        {
            output.Write(",\"@l\":\"");
            output.Write(logEvent.Level.ToString());
            output.Write('"');
        }

        if (logEvent.Exception is { } exception)
        {
            output.Write(",\"@x\":");
            WriteQuoted(exception.ToString(), output);
        }

        if (logEvent.TraceId is { } traceId)
        {
            output.Write(",\"@tr\":\"");
            output.Write(traceId.ToHexString());
            output.Write('"');
        }

        if (logEvent.SpanId is { } spanId)
        {
            output.Write(",\"@sp\":\"");
            output.Write(spanId.ToHexString());
            output.Write('"');
        }

        Span<char> digits = stackalloc char[11];
        foreach (var (key, value) in logEvent.Properties)
        {
            output.Write(',');
            if (key.Length > 0 && key[0] == '@')
            {
                WriteQuoted('@' + key, output); // a leading '@' is doubled, as CLEF reserves it
            }
            else
            {
                WriteQuoted(key, output);
            }

            output.Write(':');
            if (value is ScalarValue { Value: string text })
            {
                WriteQuoted(text, output);
            }
            else if (value is ScalarValue { Value: int number })
            {
                _ = number.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
                output.Write(digits[..length]);
            }
            else
            {
                _values.Format(value, output);
            }
        }

        output.Write('}');
        output.WriteLine();
    }

    /// <summary>The rendered message into a reused buffer, then written whole when it has nothing to escape.</summary>
    private void WriteMessage(LogEvent logEvent, TextWriter output)
    {
        var buffer = _message.GetStringBuilder();
        buffer.Clear();
        logEvent.MessageTemplate.Render(logEvent.Properties, _message, CultureInfo.InvariantCulture);
        foreach (var chunk in buffer.GetChunks())
        {
            if (chunk.Span.ContainsAny(Escaped))
            {
                JsonValueFormatter.WriteQuotedJsonString(buffer.ToString(), output);
                return;
            }
        }

        output.Write('"');
        foreach (var chunk in buffer.GetChunks())
        {
            output.Write(chunk.Span);
        }

        output.Write('"');
    }

    private static void WriteQuoted(string text, TextWriter output)
    {
        if (text.AsSpan().ContainsAny(Escaped))
        {
            JsonValueFormatter.WriteQuotedJsonString(text, output);
            return;
        }

        output.Write('"');
        output.Write(text);
        output.Write('"');
    }
}
