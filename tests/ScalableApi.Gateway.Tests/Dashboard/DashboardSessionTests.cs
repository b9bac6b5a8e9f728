using Microsoft.Extensions.Time.Testing;

namespace ScalableApi.Gateway.Tests.Dashboard;

/// <summary>
/// The dashboard's session cookie is short-lived (issue 16, acceptance 2): it opens the stream for
/// <c>Gateway:Dashboard:SessionLifetime</c> and not a moment longer, and signing out ends it at once.
/// </summary>
public sealed class DashboardSessionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private GatewayFactory _gateway = null!;

    public Task InitializeAsync()
    {
        _gateway = new GatewayFactory(
            new Dictionary<string, string?>
            {
                ["Gateway:Discovery:Enabled"] = "false",
                ["Gateway:Dashboard:SessionLifetime"] = "00:05:00",
            },
            services => services.AddSingleton<TimeProvider>(_time));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task The_cookie_opens_the_stream_for_the_configured_lifetime_only()
    {
        var cookie = await StartSessionAsync();
        var setCookie = cookie.SetCookie;
        Assert.Contains("expires=", setCookie, StringComparison.OrdinalIgnoreCase);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.True(await SignedInAsync(cookie.Value));
        Assert.Equal(HttpStatusCode.OK, await StreamStatusAsync(cookie.Value));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await SignedInAsync(cookie.Value));
        Assert.Equal(HttpStatusCode.Unauthorized, await StreamStatusAsync(cookie.Value));
    }

    [Fact]
    public async Task Signing_out_deletes_the_cookie()
    {
        var cookie = await StartSessionAsync();
        using var client = _gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/dashboard/session");
        request.Headers.Add("Cookie", cookie.Value);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var deleted = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("scalableapi_dashboard=;", deleted, StringComparison.Ordinal);
        Assert.Contains("path=/dashboard", deleted, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(string Value, string SetCookie)> StartSessionAsync()
    {
        using var client = _gateway.CreateClient(_gateway.Tokens.Admin());
        using var response = await client.PostAsync("/dashboard/session", content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        return (setCookie.Split(';')[0], setCookie);
    }

    private async Task<bool> SignedInAsync(string cookie)
    {
        using var client = _gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/session");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signedIn").GetBoolean();
    }

    private async Task<HttpStatusCode> StreamStatusAsync(string cookie)
    {
        using var client = _gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/stream");
        request.Headers.Add("Cookie", cookie);
        // Headers only: an open stream would otherwise be read until the session ends.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
