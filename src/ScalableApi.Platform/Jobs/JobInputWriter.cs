using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace ScalableApi.Platform.Jobs;

/// <summary>How an upload of line input ended: the non-blank line count, or the first line that made it unusable.</summary>
public sealed record JobInputResult(long Lines, long? BadLine, string? Error)
{
    public bool Ok => Error is null;
}

/// <summary>
/// Streams a request body of lines into a draft job's chunks (rows of whole lines, about <c>chunkBytes</c> each),
/// so the body is durable in the service's own database (any replica can read it; nothing waits in one process's
/// memory) and never held whole: memory is one chunk plus one line at most. Each line is checked as it passes;
/// the first bad one stops the upload (the caller answers 400 and drops the draft).
/// </summary>
public static class JobInputWriter
{
    public static async Task<JobInputResult> WriteAsync(
        JobQueue queue,
        long jobId,
        Stream body,
        int maxLineBytes,
        int chunkBytes,
        Func<ReadOnlyMemory<byte>, string?> checkLine,
        CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var chunk = new ArrayBufferWriter<byte>(chunkBytes + maxLineBytes + 1);
        long line = 0, lines = 0, chunkFirstLine = 1;
        var seq = 0;
        var chunkLines = 0;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (TryTakeLine(ref buffer, out var text))
                {
                    line++;
                    if (Append(text, line) is { } error)
                    {
                        return new JobInputResult(lines, line, error);
                    }

                    if (chunk.WrittenCount >= chunkBytes)
                    {
                        await FlushAsync();
                    }
                }

                if (buffer.Length > maxLineBytes)
                {
                    return new JobInputResult(lines, line + 1, $"line {line + 1} is longer than {maxLineBytes} bytes.");
                }

                if (read.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        line++;
                        if (Append(buffer, line) is { } error)
                        {
                            return new JobInputResult(lines, line, error);
                        }
                    }

                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (chunk.WrittenCount > 0)
            {
                await FlushAsync();
            }

            return new JobInputResult(lines, null, null);
        }
        finally
        {
            await reader.CompleteAsync();
        }

        string? Append(ReadOnlySequence<byte> text, long number)
        {
            if (text.Length > 0 && text.Slice(text.Length - 1).FirstSpan[0] == (byte)'\r')
            {
                text = text.Slice(0, text.Length - 1);
            }

            if (text.Length > maxLineBytes)
            {
                return $"line {number} is longer than {maxLineBytes} bytes.";
            }

            var start = chunk.WrittenCount;
            text.CopyTo(chunk.GetSpan((int)text.Length));
            chunk.Advance((int)text.Length);
            var stored = chunk.WrittenMemory[start..];
            if (!IsBlank(stored.Span))
            {
                if (checkLine(stored) is { } error)
                {
                    return $"line {number}: {error}";
                }

                lines++;
            }

            chunk.GetSpan(1)[0] = (byte)'\n';
            chunk.Advance(1);
            chunkLines++;
            return null;
        }

        async Task FlushAsync()
        {
            await queue.AppendChunkAsync(jobId, seq++, chunkFirstLine, chunkLines, chunk.WrittenMemory, cancellationToken);
            chunkFirstLine += chunkLines;
            chunkLines = 0;
            chunk.ResetWrittenCount();
        }
    }

    /// <summary>A line of only spaces and tabs (or nothing) is skipped, as NDJSON readers do.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> text) => text.Trim(" \t\r"u8).IsEmpty;

    /// <summary>Null when the line is exactly one JSON object (NDJSON), else what is wrong with it.</summary>
    public static string? JsonObject(ReadOnlyMemory<byte> text)
    {
        try
        {
            var reader = new Utf8JsonReader(text.Span, new JsonReaderOptions { AllowMultipleValues = false, MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "not a JSON object; the body must be NDJSON (one JSON object per line).";
            }

            reader.Skip();
            return reader.Read() ? "more than one JSON value on the line." : null;
        }
        catch (JsonException)
        {
            return "not valid JSON; the body must be NDJSON (one JSON object per line).";
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is not { } end)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, end);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }
}
