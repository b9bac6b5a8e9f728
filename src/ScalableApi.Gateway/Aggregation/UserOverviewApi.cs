using System.Net;
using System.Text.Json;

namespace ScalableApi.Gateway.Aggregation;

/// <summary>The gateway's own aggregation endpoint: one call for a user page instead of three.</summary>
public static class UserOverviewApi
{
    private static readonly JsonElement EmptyList = JsonDocument.Parse("[]").RootElement;

    public static IEndpointRouteBuilder MapUserOverviewApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/users/{id:long}/overview", GetOverview).WithName("GetUserOverview").WithTags("Users")
            .WithSummary("A user with their latest posts and comments, fetched from two services in parallel; degraded lists what is missing.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>User, posts and comments are fetched in parallel; the slowest bounds the latency, the timeout bounds the slowest.</summary>
    public static async Task<Results<Ok<UserOverview>, NotFound, ProblemHttpResult>> GetOverview(
        long id, HttpContext context, UpstreamClient upstream, IOptions<AggregationOptions> options)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(options.Value.Timeout);
        var userPath = string.Create(CultureInfo.InvariantCulture, $"/api/users/{id}");
        var latest = options.Value.Latest;
        var userTask = FetchAsync(upstream, context, "users", userPath, timeout.Token);
        var postsTask = FetchAsync(upstream, context, "content", string.Create(CultureInfo.InvariantCulture, $"/api/users/{id}/posts?limit={latest}"), timeout.Token);
        var commentsTask = FetchAsync(upstream, context, "content", string.Create(CultureInfo.InvariantCulture, $"/api/users/{id}/comments?limit={latest}"), timeout.Token);
        await Task.WhenAll(userTask, postsTask, commentsTask);

        var user = userTask.Result;
        if (user.Status == HttpStatusCode.NotFound)
        {
            return TypedResults.NotFound();
        }

        if (user.Body is not { } userBody)
        {
            // Without the user there is no page to show: say so, and when to try again.
            context.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The users service is unavailable.");
        }

        var degraded = new List<string>(2);
        var posts = Items(postsTask.Result, "posts", degraded);
        var comments = Items(commentsTask.Result, "comments", degraded);
        return TypedResults.Ok(new UserOverview(userBody, posts, comments, degraded.Count == 0 ? null : degraded));
    }

    private static JsonElement Items(Fetched fetched, string part, List<string> degraded)
    {
        if (fetched.Body is { } body && body.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            return items;
        }

        degraded.Add(part);
        return EmptyList;
    }

    private static async Task<Fetched> FetchAsync(UpstreamClient upstream, HttpContext context, string cluster, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await upstream.GetAsync(context, cluster, path, cancellationToken);
            if (response is null)
            {
                return new Fetched(null, null);
            }

            if (!response.IsSuccessStatusCode)
            {
                return new Fetched(response.StatusCode, null);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            return new Fetched(response.StatusCode, document.RootElement.Clone());
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
        {
            // Down, slow past the timeout, or not JSON: this part is degraded, the rest of the page still renders.
            return new Fetched(null, null);
        }
    }

    private readonly record struct Fetched(HttpStatusCode? Status, JsonElement? Body);
}
