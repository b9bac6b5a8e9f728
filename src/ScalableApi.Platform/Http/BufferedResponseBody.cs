using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace ScalableApi.Platform.Http;

/// <summary>
/// The response body while <see cref="BufferedResponseMiddleware"/> holds it back. Writes land in one array rented
/// from the shared pool (a larger one is rented as the body grows); <see cref="CommitAsync"/> then
/// sends it with <c>Content-Length</c> in a single write. It becomes a pass-through to the server's writer (what was
/// buffered first, then every write as it comes, chunked) when the body passes the cap, the endpoint carries
/// <see cref="StreamingResponseMetadata"/>, the app sized the body itself, or it disables buffering or sends a file.
/// </summary>
/// <remarks>
/// It is the response feature too, so that <c>Response.HasStarted</c> keeps the server's meaning: true once the
/// app started the response or wrote a byte of it. An exception handler therefore never appends its problem to a
/// half-written body (the middleware discards it instead), while headers stay writable until the commit.
/// One object per request and pooled arrays: the writer, the feature and (only if asked for) a stream over it.
/// </remarks>
internal sealed class BufferedResponseBody(HttpContext context, IHttpResponseBodyFeature innerBody, IHttpResponseFeature innerResponse, int maxBufferedBytes)
    : PipeWriter, IHttpResponseBodyFeature, IHttpResponseFeature
{
    // Most JSON bodies of this API fit; System.Text.Json asks for 4 KiB at a time anyway.
    private const int InitialSize = 4096;

    // Largest single GetMemory lent from the pool while buffering; a bigger hint streams.
    private const int MaxReservation = 1024 * 1024;

    private byte[]? _buffer;
    private int _length;
    private int _flushed;
    private bool _started;
    private Mode _mode;
    private Stream? _stream;

    private enum Mode
    {
        Undecided,
        Buffering,
        Streaming,
    }

    // ---- PipeWriter: what minimal APIs, Results and WriteAsJsonAsync write to ----

    public override Memory<byte> GetMemory(int sizeHint = 0) =>
        Reserve(sizeHint) ? _buffer.AsMemory(_length) : innerBody.Writer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) =>
        Reserve(sizeHint) ? _buffer.AsSpan(_length) : innerBody.Writer.GetSpan(sizeHint);

    public override void Advance(int bytes)
    {
        if (_mode == Mode.Streaming)
        {
            innerBody.Writer.Advance(bytes);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (_buffer is null || bytes > _buffer.Length - _length)
        {
            throw new InvalidOperationException("Advanced past the end of the memory handed out.");
        }

        _length += bytes;
        if (_length > maxBufferedBytes)
        {
            StartStreaming();
        }
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (!Reserve(source.Length))
        {
            return innerBody.Writer.WriteAsync(source, cancellationToken);
        }

        source.Span.CopyTo(_buffer.AsSpan(_length));
        Advance(source.Length);
        return FlushAsync(cancellationToken);
    }

    /// <summary>While buffering a flush sends nothing: the body goes out whole at the commit.</summary>
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_mode == Mode.Streaming)
        {
            return innerBody.Writer.FlushAsync(cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        _flushed = _length;
        return ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false));
    }

    public override void CancelPendingFlush()
    {
        if (_mode == Mode.Streaming)
        {
            innerBody.Writer.CancelPendingFlush();
        }
    }

    /// <summary>The app is done writing; a buffered body is still sent by the middleware when the app returns.</summary>
    public override void Complete(Exception? exception = null)
    {
        if (_mode == Mode.Streaming)
        {
            innerBody.Writer.Complete(exception);
        }
    }

    public override bool CanGetUnflushedBytes => _mode != Mode.Streaming || innerBody.Writer.CanGetUnflushedBytes;

    // System.Text.Json flushes when this passes its threshold; counting since the last no-op flush keeps its rhythm.
    public override long UnflushedBytes => _mode == Mode.Streaming ? innerBody.Writer.UnflushedBytes : _length - _flushed;

    // ---- IHttpResponseBodyFeature ----

    public Stream Stream => _stream ??= AsStream(leaveOpen: true);

    public PipeWriter Writer => this;

    public void DisableBuffering()
    {
        StartStreaming();
        innerBody.DisableBuffering();
    }

    /// <summary>
    /// Marks the response started without sending anything: <c>WriteAsJsonAsync</c> and <c>WriteAsync(string)</c>
    /// call this before every body, so treating it as "stream now" would defeat the buffering.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        Decide();
        if (_mode == Mode.Streaming)
        {
            return innerBody.StartAsync(cancellationToken);
        }

        _started = true;
        return cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        StartStreaming();
        return innerBody.SendFileAsync(path, offset, count, cancellationToken);
    }

    async Task IHttpResponseBodyFeature.CompleteAsync()
    {
        await CommitAsync();
        await innerBody.CompleteAsync();
    }

    // ---- IHttpResponseFeature: the server's, except HasStarted ----

    int IHttpResponseFeature.StatusCode
    {
        get => innerResponse.StatusCode;
        set => innerResponse.StatusCode = value;
    }

    string? IHttpResponseFeature.ReasonPhrase
    {
        get => innerResponse.ReasonPhrase;
        set => innerResponse.ReasonPhrase = value;
    }

    IHeaderDictionary IHttpResponseFeature.Headers
    {
        get => innerResponse.Headers;
        set => innerResponse.Headers = value;
    }

    Stream IHttpResponseFeature.Body
    {
        get => Stream;
#pragma warning disable CS0618 // the obsolete setter exists only for old servers; pass it on unchanged
        set => innerResponse.Body = value;
#pragma warning restore CS0618
    }

    bool IHttpResponseFeature.HasStarted => innerResponse.HasStarted || (_mode == Mode.Buffering && (_started || _length > 0));

    void IHttpResponseFeature.OnStarting(Func<object, Task> callback, object state) => innerResponse.OnStarting(callback, state);

    void IHttpResponseFeature.OnCompleted(Func<object, Task> callback, object state) => innerResponse.OnCompleted(callback, state);

    // ---- the middleware's side ----

    /// <summary>
    /// Sends a buffered body: <c>Content-Length</c>, then the bytes in one write and one flush, so the server puts
    /// headers and body into the socket together. Nothing to do when the body streamed or was never written (the
    /// server itself answers an empty body with <c>Content-Length: 0</c> where the status allows one).
    /// </summary>
    public async Task CommitAsync()
    {
        if (_mode != Mode.Buffering)
        {
            return;
        }

        _mode = Mode.Streaming; // anything written after this (nothing should be) goes straight out
        var (buffer, length) = (_buffer, _length);
        (_buffer, _length) = (null, 0);
        if (buffer is null)
        {
            return;
        }

        try
        {
            var aborted = context.RequestAborted;
            if (length == 0 || aborted.IsCancellationRequested)
            {
                return;
            }

            var response = context.Response;
            // 1xx, 204 and 304 carry no body; a 304's length, if any, is the 200's, which we do not know.
            if (response.ContentLength is null && response.StatusCode is >= 200 and not 204 and not 304)
            {
                response.ContentLength = length;
            }

            if (HttpMethods.IsHead(context.Request.Method))
            {
                return; // the length says what a GET would send; the server sends headers only
            }

            innerBody.Writer.Write(buffer.AsSpan(0, length));
            await innerBody.Writer.FlushAsync(aborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>After an exception: nothing buffered is sent, so the server can still answer with a clean 500.</summary>
    public void Discard()
    {
        if (_mode == Mode.Buffering && _buffer is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        (_buffer, _length, _started, _mode) = (null, 0, false, Mode.Streaming);
    }

    /// <summary>True when the caller is to write <paramref name="sizeHint"/> bytes into the buffer, false to the server.</summary>
    [MemberNotNullWhen(true, nameof(_buffer))]
    private bool Reserve(int sizeHint)
    {
        Decide();
        if (_mode == Mode.Streaming)
        {
            return false;
        }

        // The cap is on what is written, checked in Advance: System.Text.Json reserves up to six times a string's
        // length for escaping it, so a 40 KB string asks for 240 KB. A reservation that large is lent, within reason.
        var needed = _length + Math.Max(sizeHint, 1);
        if (needed > Math.Max(maxBufferedBytes, MaxReservation))
        {
            StartStreaming();
            return false;
        }

        if (_buffer is null || needed > _buffer.Length)
        {
            Grow(needed);
        }

        return true;
    }

    private void Decide()
    {
        if (_mode != Mode.Undecided)
        {
            return;
        }

        var response = context.Response;
        var streams = innerResponse.HasStarted
            || response.ContentLength is not null
            || response.Headers.ContainsKey(HeaderNames.TransferEncoding)
            || context.GetEndpoint()?.Metadata.GetMetadata<StreamingResponseMetadata>() is not null;
        _mode = streams ? Mode.Streaming : Mode.Buffering;
    }

    [MemberNotNull(nameof(_buffer))]
    private void Grow(int needed)
    {
        var size = Math.Max(needed, Math.Min(maxBufferedBytes, _buffer is null ? InitialSize : _buffer.Length * 2));
        var larger = ArrayPool<byte>.Shared.Rent(size);
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }

    /// <summary>From here on every write goes to the server as it comes; what was buffered goes first.</summary>
    private void StartStreaming()
    {
        Decide();
        if (_mode == Mode.Streaming)
        {
            return;
        }

        _mode = Mode.Streaming;
        if (_buffer is { } buffer)
        {
            if (_length > 0)
            {
                innerBody.Writer.Write(buffer.AsSpan(0, _length));
            }

            ArrayPool<byte>.Shared.Return(buffer);
            (_buffer, _length) = (null, 0);
        }
    }
}
