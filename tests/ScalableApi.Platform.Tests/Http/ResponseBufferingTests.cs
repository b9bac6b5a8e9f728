using ScalableApi.Platform.Http;

namespace ScalableApi.Platform.Tests.Http;

/// <summary>
/// On a real Kestrel server (the in-memory one has no HTTP framing): small bodies leave whole with a
/// Content-Length, so a replica killed mid-response cannot hand the gateway half a body it already started
/// forwarding; large and opted-out bodies still stream.
/// </summary>
public sealed class ResponseBufferingTests : IAsyncLifetime
{
    private ProbeApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await ProbeApp.StartAsync(kestrel: true);
        _client = _app.CreateClient();
    }

    public Task DisposeAsync() => Disposal.AllAsync(_client, _app);

    [Theory]
    [InlineData("/probe/items/1", HttpStatusCode.OK)]
    [InlineData("/probe/sized/40000", HttpStatusCode.OK)]
    [InlineData("/probe/boom", HttpStatusCode.InternalServerError)]
    [InlineData("/nowhere", HttpStatusCode.NotFound)]
    [InlineData("/probe/admin", HttpStatusCode.Unauthorized)]
    public async Task Json_and_problem_responses_carry_content_length_and_are_not_chunked(string path, HttpStatusCode status)
    {
        using var response = await _client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        var declared = response.Content.Headers.ContentLength;
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(status, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.True(body.Length > 0);
        Assert.Equal(body.Length, declared);
        // Headers set when the response starts (request id, security headers) are still there.
        Assert.True(response.Headers.Contains("X-Request-Id"));
        Assert.True(response.Headers.Contains("X-Content-Type-Options"));
    }

    [Fact]
    public async Task A_body_over_the_cap_streams_chunked_and_arrives_whole()
    {
        var size = new ResponseBufferingOptions().MaxBufferedBytes * 3;
        using var response = await _client.GetAsync($"/probe/sized/{size}", HttpCompletionOption.ResponseHeadersRead);
        var declared = response.Content.Headers.ContentLength;
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Null(declared);
        Assert.Equal(size + 2, text.Length); // the JSON string's quotes
    }

    [Fact]
    public async Task An_opted_out_endpoint_streams_before_it_has_finished()
    {
        using var response = await _client.GetAsync("/probe/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.Headers.TransferEncodingChunked);
        await using var body = await response.Content.ReadAsStreamAsync();

        // The endpoint is held at the gate: what arrives now was sent while it was still running.
        var first = new byte["first;".Length];
        await body.ReadExactlyAsync(first);
        Assert.Equal("first;", Encoding.UTF8.GetString(first));
        Assert.Equal(1, _app.Gate.Waiting);

        _app.Gate.Open();
        using var rest = new StreamReader(body);
        Assert.Equal("second", await rest.ReadToEndAsync());
    }

    [Fact]
    public async Task Head_gets_the_length_of_the_get_and_no_body()
    {
        using var get = await _client.GetAsync("/probe/head/7", HttpCompletionOption.ResponseHeadersRead);
        var getLength = get.Content.Headers.ContentLength;
        var getBody = await get.Content.ReadAsByteArrayAsync();
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/probe/head/7"), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(getBody.Length, getLength);
        Assert.Equal(getLength, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Not_modified_and_empty_responses_stay_bodiless()
    {
        using var notModified = await _client.GetAsync("/probe/not-modified", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.NotEqual(true, notModified.Headers.TransferEncodingChunked);
        Assert.Null(notModified.Content.Headers.ContentLength); // a 304's length would be the 200's: not claimed
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var empty = await _client.GetAsync("/probe/empty", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.NotEqual(true, empty.Headers.TransferEncodingChunked);
        Assert.Equal(0, empty.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_failure_half_way_through_a_body_is_a_clean_500_not_a_truncated_200()
    {
        using var response = await _client.GetAsync("/probe/half-then-boom");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("partial", body, StringComparison.Ordinal);
    }
}
