namespace ScalableApi.Testing;

/// <summary>Many requests at once, the way a burst of clients sends them (single-flight and cache tests).</summary>
public static class Burst
{
    /// <summary>
    /// Sends <paramref name="count"/> GETs of <paramref name="url"/> at once, the i-th through
    /// <paramref name="clientFor"/>(i), and asserts that every one is a 200.
    /// </summary>
    public static async Task GetAllOkAsync(Func<int, HttpClient> clientFor, string url, int count = 100)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, count).Select(i => clientFor(i).GetAsync(url)));
        try
        {
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }
}
