using System.Net;
using System.Text.Json;

namespace ScalableApi.Platform.Tests;

/// <summary>Checks that a response is RFC 9457 problem+json with status, title and traceId, and leaks nothing.</summary>
internal static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        var root = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.Matches("^[0-9a-f]{32}$|^.+$", root.GetProperty("traceId").GetString()!);
        return root;
    }
}
