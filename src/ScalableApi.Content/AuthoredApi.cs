using ScalableApi.Contracts;

namespace ScalableApi.Content;

/// <summary>What the posts and comments routes share.</summary>
internal static class AuthoredApi
{
    /// <summary>
    /// A route that creates a post or a comment: for a signed-in user, its body validated, a keyed POST answered once,
    /// and the edge keys <paramref name="purges"/> names for what it created purged.
    /// </summary>
    public static RouteHandlerBuilder CreatesAuthored<TRequest, T>(this RouteHandlerBuilder route, Func<T, string> purges)
        where T : class, IAuthored =>
        route.RequireAuthorization().Validate<TRequest>().Idempotent()
            .PurgesEdgeKeys((_, result) => PublicCaching.ValueOf<T>(result) is { } created ? purges(created) : string.Empty);

    /// <summary>
    /// A page of a user's posts or comments, newest first. An unknown user has an empty page: users live in another
    /// service's database, so we cannot tell.
    /// </summary>
    public static async Task<Results<Ok<Page<T>>, ValidationProblem>> ListByAuthorAsync<T>(
        long userId, PageRequest page, IAuthoredCache<T> cache, ReadConsistency consistency, CancellationToken cancellationToken)
        where T : IAuthored
    {
        if (page.TryGetKeyset(out var keyset) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: ProblemTitles.Validation);
        }

        var rows = await cache.ListByAuthorAsync(userId, keyset, consistency, cancellationToken);
        return TypedResults.Ok(keyset.ToPage(rows, static row => row.Id));
    }
}
