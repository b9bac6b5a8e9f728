using ScalableApi.Contracts;

namespace ScalableApi.Content.Posts;

/// <summary>Routes of the posts feature: create, read, delete, and a user's posts newest first.</summary>
internal static class PostsApi
{
    public static IEndpointRouteBuilder MapPostsApi(this IEndpointRouteBuilder app)
    {
        var posts = app.MapGroup("/api/posts").WithTags("Posts");
        // Surrogate keys (see ContentEdgeKeys): a new post changes only its author's pages (its id had no cached item:
        // a 404 is never cached); a delete names what it took with it itself, as only the handler knows it.
        posts.MapPost("", CreatePost).CreatesAuthored<CreatePostRequest, Post>(static post => ContentEdgeKeys.UserPosts(post.AuthorId))
            .WithName("CreatePost").WithSummary("Publish a post as the signed-in user.");
        posts.MapGet("/{id:long}", GetPost).CachePublicly(c => ContentEdgeKeys.Post(c.RouteId("id")))
            .WithName("GetPost").WithSummary("One post with its comment count.");
        posts.MapDelete("/{id:long}", DeletePost).RequireAuthorization()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("DeletePost").WithSummary("Delete a post and its comments (its author or an admin).");

        // A user's posts live here, not in the users service: users and content do not share a database.
        app.MapGet("/api/users/{userId:long}/posts", ListUserPosts).WithTags("Posts")
            .CachePublicly((c, result) => ContentEdgeKeys.UserPostsPage(c.RouteId("userId"), PublicCaching.ValueOf<Page<Post>>(result)))
            .WithName("ListUserPosts").WithSummary("A page of a user's posts, newest first.");
        return app;
    }

    public static async Task<Results<Created<Post>, UnauthorizedHttpResult>> CreatePost(
        CreatePostRequest request, [AsParameters] PostServices services, CancellationToken cancellationToken)
    {
        // A validly signed token whose sub is not a user id identifies nobody.
        if (services.User.GetUserId() is not { } authorId)
        {
            return TypedResults.Unauthorized();
        }

        // A keyed POST stores its answer in the insert's transaction: the post exists iff its record does.
        var keyed = services.Http.Idempotency();
        var post = await services.Store.InsertAsync(
            authorId,
            request.Title!.Trim(),
            request.Body!,
            UnixTime.Now(services.Time),
            keyed is null ? null : (transaction, created) => keyed.RecordAsync(transaction, StatusCodes.Status201Created, created, Location(created), cancellationToken),
            cancellationToken);
        await services.Cache.CreatedAsync(post, cancellationToken);
        return TypedResults.Created(Location(post), post);
    }

    public static async Task<Results<Ok<Post>, NotFound>> GetPost(long id, [AsParameters] PostServices services, CancellationToken cancellationToken)
    {
        var post = await services.Cache.GetAsync(id, services.Consistency, cancellationToken);
        return post is null ? TypedResults.NotFound() : TypedResults.Ok(post);
    }

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult, UnauthorizedHttpResult>> DeletePost(
        long id, [AsParameters] PostServices services, CancellationToken cancellationToken)
    {
        if (services.User.GetUserId() is not { } callerId)
        {
            return TypedResults.Unauthorized();
        }

        var result = await services.Store.DeleteAsync(
            id, callerId, services.User.IsAdmin(), transaction => services.Tombstones.RecordAsync(transaction, services.Http, cancellationToken), cancellationToken);
        if (result is { Outcome: WriteOutcome.Done, Value: { } deletion })
        {
            await services.Cache.DeletedAsync(id, deletion, cancellationToken);
            services.Http.Response.SetEdgePurgeKeys(ContentEdgeKeys.PostDeleted(id, deletion));
        }

        return result.Outcome switch
        {
            WriteOutcome.Done => TypedResults.NoContent(),
            WriteOutcome.Forbidden => TypedResults.Forbid(),
            // A retry of this caller's own committed delete (its first answer was lost) answers as the first did.
            _ when await services.Tombstones.DeletedByCallerAsync(services.Http, cancellationToken) => Replayed(services.Http, id),
            _ => TypedResults.NotFound(),
        };
    }

    private static NoContent Replayed(HttpContext http, long id)
    {
        http.Response.SetEdgePurgeKeys(ContentEdgeKeys.PostDeleteReplayed(id));
        return TypedResults.NoContent();
    }

    private static string Location(Post post) => string.Create(CultureInfo.InvariantCulture, $"/api/posts/{post.Id}");

    public static Task<Results<Ok<Page<Post>>, ValidationProblem>> ListUserPosts(
        long userId, [AsParameters] PageRequest page, [AsParameters] PostServices services, CancellationToken cancellationToken) =>
        AuthoredApi.ListByAuthorAsync(userId, page, services.Cache, services.Consistency, cancellationToken);
}

/// <summary>What every post handler takes (bound with <c>[AsParameters]</c>).</summary>
internal sealed record PostServices(PostStore Store, PostCache Cache, DeleteTombstones Tombstones, TimeProvider Time, HttpContext Http) : IRequestServices;
