using System.Diagnostics;
using ScalableApi.Platform.Observability;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace ScalableApi.Platform.Tests.Observability;

/// <summary>
/// The platform's log line formatter (#13.4, cheaper per line) writes what Serilog's <c>RenderedCompactJsonFormatter</c>
/// writes, character for character: whoever reads the lines sees no change.
/// </summary>
public sealed class LogLineFormatTests
{
    private static readonly MessageTemplateParser Parser = new();

    public static TheoryData<string> Cases() =>
    [
        "plain", "escapes", "warning-with-exception", "trace", "structured", "at-property", "non-ascii",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lines_are_those_of_serilogs_rendered_compact_json_formatter(string name)
    {
        var logEvent = Event(name);
        var expected = new StringWriter();
        new RenderedCompactJsonFormatter().Format(logEvent, expected);
        var actual = new StringWriter();
        var formatter = new CompactJsonLineFormatter();

        formatter.Format(logEvent, actual);
        formatter.Format(logEvent, actual); // the second line, with the template's event id remembered

        Assert.Equal(expected.ToString() + expected, actual.ToString());
    }

    private static LogEvent Event(string name)
    {
        var time = new DateTimeOffset(2026, 12, 4, 21, 33, 46, TimeSpan.FromHours(1)).AddTicks(1234567);
        LogEventProperty Text(string key, string? value) => new(key, new ScalarValue(value));
        return name switch
        {
            "plain" => new LogEvent(time, LogEventLevel.Information, null, Parser.Parse("HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.0000} ms"),
                [Text("RequestMethod", "GET"), Text("RequestPath", "/api/products/1"), new("StatusCode", new ScalarValue(200)), new("Elapsed", new ScalarValue(4.54591)), Text("ClientIp", null)]),
            "escapes" => new LogEvent(time, LogEventLevel.Information, null, Parser.Parse("Path {Path} said \"{Quote}\""),
                [Text("Path", "/a\"b\\c\nd\te\u0001f"), Text("Quote", "\r\f\u001f")]),
            "warning-with-exception" => new LogEvent(time, LogEventLevel.Warning, Thrown(), Parser.Parse("Store unreachable ({Suppressed} more)"),
                [new("Suppressed", new ScalarValue(3L))]),
            "trace" => new LogEvent(time, LogEventLevel.Error, null, Parser.Parse("Failed {Id}"), [Text("Id", "x")],
                ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"), ActivitySpanId.CreateFromString("b7ad6b7169203331")),
            "structured" => new LogEvent(time, LogEventLevel.Debug, null, Parser.Parse("Got {@Thing} and {List}"),
                [
                    new("Thing", new StructureValue([new("A", new ScalarValue(1.5)), new("B", new ScalarValue(true))], "Thing")),
                    new("List", new SequenceValue([new ScalarValue("x"), new ScalarValue(null)])),
                    new("Map", new DictionaryValue([new(new ScalarValue("k"), new ScalarValue(double.NaN))])),
                    new("When", new ScalarValue(time)),
                ]),
            "at-property" => new LogEvent(time, LogEventLevel.Information, null, Parser.Parse("Odd {@x}"), [Text("@x", "y")]),
            _ => new LogEvent(time, LogEventLevel.Information, null, Parser.Parse("Name {Name}"), [Text("Name", "Zoë <b>&'ü'</b> 日本")]),
        };
    }

    private static Exception Thrown()
    {
        try
        {
            throw new InvalidOperationException("boom \"quoted\"");
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }
}
