namespace ScalableApi.System.Tests;

/// <summary>
/// SPEC §2 "GET /dashboard": the page is open (it shows a sign-in form and holds no data), its stream needs the admin
/// session cookie from <c>POST /dashboard/session</c>, and the stream reports the gateway's live state.
/// </summary>
public sealed class DashboardTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task Anonymous_gets_the_page_with_its_sign_in_form_and_a_self_only_CSP_but_no_data()
    {
        using var page = await Client.SendAsync(HttpMethod.Get, "/dashboard");
        await page.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"sign-in-form\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        using var stream = await Client.SendAsync(HttpMethod.Get, "/dashboard/stream");
        await stream.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        using var session = await Client.SendAsync(HttpMethod.Get, "/dashboard/session");
        await session.ExpectAsync(HttpStatusCode.OK);
        Assert.False((await session.JsonAsync()).GetProperty("signedIn").GetBoolean());
        using var start = await Client.SendAsync(HttpMethod.Post, "/dashboard/session");
        await start.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_signed_in_user_who_is_not_an_admin_gets_403_and_no_cookie()
    {
        var user = await Client.NewUserAsync("dashboard");

        using var start = await Client.SendAsync(HttpMethod.Post, "/dashboard/session", user.AccessToken);

        await start.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.False(start.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_forged_or_missing_cookie_opens_no_stream()
    {
        using var forged = await Client.SendAsync(HttpMethod.Get, "/dashboard/stream", headers: h => h.Add("Cookie", "scalableapi_dashboard=CfDJ8forged"));
        await forged.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_admin_session_streams_snapshots_with_both_catalog_destinations_healthy_and_the_traffic()
    {
        var admin = await Client.AdminAsync();
        using var start = await Client.SendAsync(HttpMethod.Post, "/dashboard/session", admin.AccessToken);
        await start.ExpectAsync(HttpStatusCode.OK);
        var setCookie = start.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie.Split(';')[0];

        using var session = await Client.SendAsync(HttpMethod.Get, "/dashboard/session", headers: h => h.Add("Cookie", cookie));
        await session.ExpectAsync(HttpStatusCode.OK);
        Assert.True((await session.JsonAsync()).GetProperty("signedIn").GetBoolean());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/stream");
        request.Headers.Add("Cookie", cookie);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var stream = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await stream.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());

        var first = await NextSnapshotAsync(reader);
        var catalog = first.GetProperty("clusters").EnumerateArray().Single(c => c.GetProperty("id").GetString() == SystemTopology.Catalog);
        var destinations = catalog.GetProperty("destinations").EnumerateArray().ToList();
        Assert.Equal(2, destinations.Count);
        Assert.All(destinations, d => Assert.True(d.GetProperty("healthy").GetBoolean(), $"catalog destination not healthy: {d}"));
        Assert.Equal(60, first.GetProperty("traffic").GetProperty("requests").GetArrayLength());
        Assert.True(first.GetProperty("process").GetProperty("workingSetBytes").GetInt64() > 0);

        // Traffic the page should show: a burst of product reads appears in the next snapshots' counts and top routes.
        for (var i = 0; i < 20; i++)
        {
            using var read = await Client.SendAsync(HttpMethod.Get, "/api/products?limit=1");
            await read.ExpectAsync(HttpStatusCode.OK);
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        JsonElement snapshot;
        do
        {
            snapshot = await NextSnapshotAsync(reader, deadline.Token);
        }
        while (snapshot.GetProperty("traffic").GetProperty("minuteRequests").GetInt64() < 20);

        Assert.Contains(snapshot.GetProperty("routes").EnumerateArray(), r => r.GetProperty("route").GetString()!.StartsWith("GET /api/products", StringComparison.Ordinal));
        Assert.NotEqual(JsonValueKind.Null, snapshot.GetProperty("traffic").GetProperty("minuteP95").ValueKind);
    }

    [Theory]
    [InlineData("dashboard.js", "text/javascript")]
    [InlineData("dashboard.css", "text/css")]
    [InlineData("uPlot.iife.min.js", "text/javascript")]
    [InlineData("uPlot.LICENSE", "text/plain")]
    public async Task The_page_assets_are_served_from_the_gateway_itself(string file, string mediaType)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, $"/dashboard/assets/{file}");
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Reads SSE lines up to the next complete <c>snapshot</c> event and parses its data.</summary>
    private static async Task<JsonElement> NextSnapshotAsync(StreamReader reader, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        string? eventType = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (eventType == "snapshot" && data.Length > 0)
                {
                    return JsonDocument.Parse(data.ToString()).RootElement.Clone();
                }

                eventType = null;
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventType = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line["data:".Length..].TrimStart());
            }
        }

        throw new InvalidOperationException("the stream ended before a snapshot");
    }
}
