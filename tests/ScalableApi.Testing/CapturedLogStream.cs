
namespace ScalableApi.Testing;

/// <summary>
/// The stream the platform writes its JSON log lines to, kept in memory: registered as the app's
/// <c>LogOutput</c> instead of stdout. Written from the logger's background thread, read by tests.
/// </summary>
public sealed class CapturedLogStream : Stream
{
    private readonly Lock _lock = new();
    private readonly MemoryStream _bytes = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The request log line of the request whose <c>X-Request-Id</c> was <paramref name="requestId"/>, once written.</summary>
    public async Task<JsonElement> RequestLineAsync(string requestId)
    {
        JsonElement? found = null;
        await Eventually.HoldsAsync(
            () =>
            {
                found = Lines().SingleOrDefault(line =>
                    line.TryGetProperty("StatusCode", out _)
                    && line.TryGetProperty("RequestId", out var id) && id.GetString() == requestId);
                return Task.FromResult(found.HasValue && found.Value.ValueKind == JsonValueKind.Object);
            },
            $"the request line of {requestId}");
        return found!.Value;
    }

    /// <summary>Every complete line written so far, each parsed as one JSON object.</summary>
    public IReadOnlyList<JsonElement> Lines()
    {
        string text;
        lock (_lock)
        {
            text = Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
        }

        var complete = text[..(text.LastIndexOf('\n') + 1)];
        return complete.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            _bytes.Write(buffer, offset, count);
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
