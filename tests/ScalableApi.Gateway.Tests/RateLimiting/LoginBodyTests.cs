namespace ScalableApi.Gateway.Tests.RateLimiting;

/// <summary>
/// The failed-login limit reads the e-mail from the login body; a body it cannot read (not JSON, not UTF-8) is the
/// users service's to answer (400), never a gateway 500.
/// </summary>
public sealed class LoginBodyTests : IAsyncLifetime
{
    private TestRedis _redis = null!;
    private UpstreamServer _upstream = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _redis = TestRedis.StartEmbedded();
        _upstream = await UpstreamServer.StartAsync("users", app =>
            app.MapPost("/api/auth/login", () => Results.Problem(statusCode: StatusCodes.Status400BadRequest)));
        _gateway = GatewayFactory.OnStore(_redis.ConnectionString, [new("ReverseProxy:Clusters:users:Destinations:d0:Address", _upstream.Address)]);
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateway, _upstream, _redis);

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task A_login_email_that_is_not_utf8_reaches_the_users_service(byte[] bad)
    {
        using var client = _gateway.CreateClient();
        client.DefaultRequestHeaders.Add(TestClientIp.Header, TestClientIp.NewAddress());
        using var content = new ByteArrayContent([.. "{\"email\":\"a"u8, .. bad, .. "@example.com\",\"password\":\"x\"}"u8]);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var response = await client.PostAsync("/api/auth/login", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, _upstream.Requests);
    }
}
