namespace ScalableApi.System.Tests.Api;

/// <summary>Import and job calls through the gateway.</summary>
public static class JobsApi
{
    /// <summary>An NDJSON body of <paramref name="count"/> valid products named <c>{marker} {i}</c>.</summary>
    public static string Ndjson(string marker, int count)
    {
        var body = new StringBuilder(count * 96);
        for (var i = 1; i <= count; i++)
        {
            body.Append(global::System.Globalization.CultureInfo.InvariantCulture, $$"""{"name":"{{marker}} {{i}}","description":"imported by a system test","price":{{i % 1000}}.25,"stock":{{i % 50}}}""").Append('\n');
        }

        return body.ToString();
    }

    /// <summary>POSTs the import and returns the accepted job's id.</summary>
    public static async Task<long> ImportAsync(this HttpClient client, SignedInUser admin, string ndjson)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/products/import")
        {
            Content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
        using var response = await client.SendAsync(request);
        await response.ExpectAsync(HttpStatusCode.Accepted);
        Assert.StartsWith("/api/jobs/", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        return (await response.JsonAsync()).GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> JobAsync(this HttpClient client, SignedInUser admin, long id)
    {
        using var response = await client.SendAsync(HttpMethod.Get, GatewayApi.Path($"/api/jobs/{id}"), admin.AccessToken);
        await response.ExpectAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }
}
