namespace ScalableApi.System.Tests.Fuzz;

/// <summary>
/// What a hostile request's answer must not be, whatever was sent: a 5xx, a dropped connection, or a body that
/// betrays the stack, the database or the file system.
/// </summary>
internal static class FuzzVerdict
{
    /// <summary>Words that must never reach a client: they betray the stack, the database or the file system.</summary>
    private static readonly string[] Leaks =
    [
        "   at ", "System.", "Microsoft.", "Exception", "Npgsql", "SQLite", "sqlite_", "SELECT ", "INSERT INTO", "UPDATE ",
        "DELETE FROM", "syntax error", ".cs:line", "/work/", "/tmp/", "/usr/share/dotnet",
    ];

    /// <summary>Sends <paramref name="request"/> (and disposes it); the status, and what was wrong with the answer if anything.</summary>
    public static async Task<(int Status, string? Failure)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (HttpRequestException ex)
            {
                return (0, $"connection failed: {ex.Message}");
            }
            catch (TaskCanceledException)
            {
                return (0, "no answer within the client's timeout");
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                if (status >= 500)
                {
                    return (status, $"{status}: {Truncate(body)}");
                }

                var leak = Leaks.FirstOrDefault(word => body.Contains(word, StringComparison.Ordinal));
                return leak is null ? (status, null) : (status, $"{status} body contains '{leak}': {Truncate(body)}");
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
