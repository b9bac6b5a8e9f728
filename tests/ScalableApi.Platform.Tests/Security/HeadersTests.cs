namespace ScalableApi.Platform.Tests.Security;

public sealed class HeadersTests(ProbeAppFixture fixture) : IClassFixture<ProbeAppFixture>
{
    [Theory]
    [InlineData("/probe/items/1")]
    [InlineData("/probe/boom")]
    [InlineData("/nowhere")]
    public async Task Every_response_carries_security_headers_and_no_server_header(string path)
    {
        using var client = fixture.App.CreateClient();
        using var response = await client.GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.False(string.IsNullOrEmpty(Header(response, "Referrer-Policy")));
        Assert.Contains("default-src 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Request_id_is_echoed_when_well_formed()
    {
        using var client = fixture.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/probe/items/1");
        request.Headers.Add("X-Request-Id", "abc-123_DEF");
        using var response = await client.SendAsync(request);
        Assert.Equal("abc-123_DEF", Header(response, "X-Request-Id"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bad id with spaces\u00e9")]
    public async Task Request_id_is_generated_when_missing_or_unsafe(string? incoming)
    {
        using var client = fixture.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/nowhere");
        if (incoming is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", incoming);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var id = Header(response, "X-Request-Id");
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public async Task Strings_are_not_html_escaped()
    {
        using var client = fixture.App.CreateClient();
        var text = await client.GetStringAsync("/probe/items/1");
        Assert.Contains("<b>\\\"é\\\"</b> & 'x'", text, StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : string.Empty;
}
