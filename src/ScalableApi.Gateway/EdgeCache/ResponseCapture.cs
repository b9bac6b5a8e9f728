using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>
/// Holds a proxied response back (headers unsent, body in memory) so the cache can decide what to do with it:
/// store it, answer 304, or replace a failure with a stale copy. Past <c>limit</c> bytes it gives up holding and
/// streams everything through, so a large export costs no more than before.
/// </summary>
internal sealed class ResponseCapture(IHttpResponseBodyFeature inner, int limit) : Stream, IHttpResponseBodyFeature
{
    private readonly MemoryStream _buffer = new();
    private PipeWriter? _writer;

    /// <summary>True once the body outgrew the limit and went to the client as it came.</summary>
    public bool PassedThrough { get; private set; }

    public ReadOnlyMemory<byte> Body => _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

    Stream IHttpResponseBodyFeature.Stream => this;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void DisableBuffering()
    {
        // Buffering is the point here; past the limit the response streams anyway.
    }

    public Task StartAsync(CancellationToken cancellationToken = default) =>
        PassedThrough ? inner.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }

        if (PassedThrough)
        {
            await inner.CompleteAsync();
        }
    }

    /// <summary>Pushes out anything the pipe writer still holds, before the body is read.</summary>
    public async Task FinishAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (PassedThrough)
        {
            await inner.Stream.WriteAsync(buffer, cancellationToken);
            return;
        }

        if (_buffer.Length + buffer.Length <= limit)
        {
            _buffer.Write(buffer.Span);
            return;
        }

        PassedThrough = true;
        await inner.Stream.WriteAsync(Body, cancellationToken);
        await inner.Stream.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        PassedThrough ? inner.Stream.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }

        base.Dispose(disposing);
    }
}
