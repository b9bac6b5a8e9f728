namespace ScalableApi.Platform.Tests.Security;

/// <summary>
/// Header values in UTF-8, over a real connection (Kestrel decodes them; the in-memory server would not): a service
/// answers them like any other wrong value, never 5xx, and never echoes them into its own headers.
/// </summary>
public sealed class NonAsciiHeaderTests : IAsyncLifetime
{
    private const string Value = "café-😀";
    private ProbeApp _app = null!;

    public async Task InitializeAsync() => _app = await ProbeApp.StartAsync(kestrel: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("X-Request-Id", "/probe/items/1", HttpStatusCode.OK)]
    [InlineData("Authorization", "/probe/secure", HttpStatusCode.Unauthorized)]
    [InlineData("Authorization", "/probe/items/1", HttpStatusCode.OK)]
    [InlineData("If-None-Match", "/probe/items/1", HttpStatusCode.OK)]
    [InlineData("Accept", "/probe/items/1", HttpStatusCode.OK)]
    [InlineData("Idempotency-Key", "/probe/items/1", HttpStatusCode.OK)]
    [InlineData("Cookie", "/probe/items/1", HttpStatusCode.OK)]
    public async Task A_utf8_header_value_is_answered_without_a_5xx(string header, string path, HttpStatusCode expected)
    {
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        using var plain = _app.CreateClient();
        using var client = new HttpClient(handler) { BaseAddress = plain.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? "Bearer " + Value : Value);
        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Matches("^[A-Za-z0-9]+$", Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }
}
