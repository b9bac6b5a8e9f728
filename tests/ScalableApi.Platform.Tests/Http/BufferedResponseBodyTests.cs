using Microsoft.AspNetCore.Http.Features;
using ScalableApi.Platform.Http;

namespace ScalableApi.Platform.Tests.Http;

/// <summary>The buffering body on its own, over an in-memory server body: what is sent, when, and at what cost.</summary>
public sealed class BufferedResponseBodyTests
{
    private const int Cap = 16 * 1024;

    [Fact]
    public async Task Flushes_send_nothing_until_the_commit_sends_everything_with_its_length()
    {
        var (context, sent) = NewContext();
        var body = Install(context);

        await context.Response.WriteAsync("hello ");
        await context.Response.BodyWriter.FlushAsync();
        await context.Response.WriteAsync("world");
        Assert.Equal(0, sent.Length);
        Assert.True(context.Response.HasStarted); // as on the server: the body has begun

        await body.CommitAsync();
        Assert.Equal("hello world", Encoding.UTF8.GetString(sent.ToArray()));
        Assert.Equal(11, context.Response.ContentLength);
    }

    [Fact]
    public async Task Passing_the_cap_sends_what_was_buffered_then_streams_the_rest()
    {
        var (context, sent) = NewContext();
        var body = Install(context);
        var chunk = new string('a', Cap / 4);

        for (var i = 0; i < 8; i++)
        {
            await context.Response.WriteAsync(chunk);
        }

        await body.CommitAsync();
        Assert.Null(context.Response.ContentLength);
        Assert.Equal(8 * chunk.Length, sent.Length);
    }

    [Fact]
    public async Task Discarding_after_a_failure_sends_nothing_and_unstarts_the_response()
    {
        var (context, sent) = NewContext();
        var body = Install(context);
        await context.Response.WriteAsync("{\"half\":");

        body.Discard();

        Assert.False(context.Response.HasStarted);
        Assert.Equal(0, sent.Length);
    }

    [Fact]
    public async Task A_request_allocates_no_buffer_of_its_own()
    {
        var (context, sent) = NewContext();
        var innerBody = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var innerResponse = context.Features.GetRequiredFeature<IHttpResponseFeature>();
        var payload = new byte[Cap / 2];
        await RunAsync(); // warm up: pool buckets, JIT

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            await RunAsync();
        }

        var perRequest = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        // The body object and small change; an 8 KiB body copied into a fresh array would be 8 KiB per request.
        Assert.True(perRequest < 1024, $"{perRequest} bytes allocated per request");

        async Task RunAsync()
        {
            sent.SetLength(0);
            context.Response.Headers.ContentLength = null;
            context.Features.Set(innerBody);
            context.Features.Set(innerResponse);
            var body = Install(context);
            var span = body.GetSpan(payload.Length);
            payload.CopyTo(span);
            body.Advance(payload.Length);
            await body.FlushAsync();
            await body.CommitAsync();
        }
    }

    private static (DefaultHttpContext Context, MemoryStream Sent) NewContext()
    {
        var context = new DefaultHttpContext();
        var sent = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(sent));
        return (context, sent);
    }

    /// <summary>What the middleware does: the buffering body in front of the server's features (restored first when a test reuses the context).</summary>
    private static BufferedResponseBody Install(HttpContext context)
    {
        var innerBody = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var innerResponse = context.Features.GetRequiredFeature<IHttpResponseFeature>();
        var body = new BufferedResponseBody(context, innerBody, innerResponse, Cap);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        context.Features.Set<IHttpResponseFeature>(body);
        return body;
    }
}
