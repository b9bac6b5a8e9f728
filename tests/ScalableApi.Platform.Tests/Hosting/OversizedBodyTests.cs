using System.Net.Http.Headers;
using ScalableApi.Platform.Tests.TestApp;

namespace ScalableApi.Platform.Tests.Hosting;

/// <summary>
/// A body over the limit sent the way most clients send it (all at once, no <c>Expect: 100-continue</c>), on a real
/// Kestrel server: the client reads a 413 problem, not a reset connection, and the connection serves the next request.
/// </summary>
public sealed class OversizedBodyTests : IAsyncLifetime
{
    private ProbeApp _app = null!;

    public async Task InitializeAsync() => _app = await ProbeApp.StartAsync(kestrel: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData((1024 * 1024) + 10)]
    [InlineData(4 * 1024 * 1024)]
    [InlineData(16 * 1024 * 1024)]
    public async Task A_declared_body_over_the_limit_is_read_as_a_413_problem(int bytes)
    {
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.ExpectContinue = false;

        using var content = new ByteArrayContent(JsonOfLength(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/probe/echo", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        using var next = await client.GetAsync("/probe/items/1");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_read_as_a_413_problem()
    {
        using var client = _app.CreateClient();
        using var content = new StreamContent(new MemoryStream(JsonOfLength((1024 * 1024) + 10)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/probe/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    private static byte[] JsonOfLength(int bytes)
    {
        var body = new byte[bytes];
        Array.Fill(body, (byte)'a');
        "{\"name\":\""u8.CopyTo(body);
        "\"}"u8.CopyTo(body.AsSpan(bytes - 2));
        return body;
    }
}
