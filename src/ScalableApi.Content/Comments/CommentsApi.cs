using ScalableApi.Content.Posts;
using ScalableApi.Contracts;

namespace ScalableApi.Content.Comments;

/// <summary>Routes of the comments feature: comment on a post, read one, a post's and a user's comments newest first.</summary>
internal static class CommentsApi
{
    public static IEndpointRouteBuilder MapCommentsApi(this IEndpointRouteBuilder app)
    {
        var postComments = app.MapGroup("/api/posts/{postId:long}/comments").WithTags("Comments");
        // Surrogate keys: see ContentEdgeKeys.
        postComments.MapPost("", CreateComment).CreatesAuthored<CreateCommentRequest, Comment>(ContentEdgeKeys.CommentCreated)
            .WithName("CreateComment").WithSummary("Comment on a post as the signed-in user.");
        postComments.MapGet("", ListPostComments).CachePublicly(c => ContentEdgeKeys.PostComments(c.RouteId("postId")))
            .WithName("ListPostComments").WithSummary("A page of a post's comments, newest first.");

        // The Location of a created comment must resolve to something.
        app.MapGet("/api/comments/{id:long}", GetComment).WithTags("Comments")
            .CachePublicly((_, result) => PublicCaching.ValueOf<Comment>(result) is { } comment ? ContentEdgeKeys.PostComments(comment.PostId) : string.Empty)
            .WithName("GetComment").WithSummary("One comment.");
        app.MapGet("/api/users/{userId:long}/comments", ListUserComments).WithTags("Comments")
            .CachePublicly(c => ContentEdgeKeys.UserComments(c.RouteId("userId")))
            .WithName("ListUserComments").WithSummary("A page of a user's comments, newest first.");
        return app;
    }

    public static async Task<Results<Created<Comment>, NotFound, UnauthorizedHttpResult>> CreateComment(
        long postId, CreateCommentRequest request, [AsParameters] CommentServices services, CancellationToken cancellationToken)
    {
        // A validly signed token whose sub is not a user id identifies nobody.
        if (services.User.GetUserId() is not { } authorId)
        {
            return TypedResults.Unauthorized();
        }

        // A keyed POST stores its answer in the insert's transaction: the comment exists iff its record does.
        var keyed = services.Http.Idempotency();
        if (await services.Store.InsertAsync(
                postId,
                authorId,
                request.Body!,
                UnixTime.Now(services.Time),
                keyed is null ? null : (transaction, created) => keyed.RecordAsync(transaction, StatusCodes.Status201Created, created, Location(created), cancellationToken),
                cancellationToken) is not var (comment, post))
        {
            return TypedResults.NotFound();
        }

        await services.Cache.CreatedAsync(comment, post, cancellationToken);
        return TypedResults.Created(Location(comment), comment);
    }

    private static string Location(Comment comment) => string.Create(CultureInfo.InvariantCulture, $"/api/comments/{comment.Id}");

    public static async Task<Results<Ok<Comment>, NotFound>> GetComment(long id, [AsParameters] CommentServices services, CancellationToken cancellationToken) =>
        await services.Store.GetAsync(id, services.Consistency, cancellationToken) is { } comment ? TypedResults.Ok(comment) : TypedResults.NotFound();

    public static async Task<Results<Ok<Page<Comment>>, NotFound, ValidationProblem>> ListPostComments(
        long postId, [AsParameters] PageRequest page, [AsParameters] CommentServices services, CancellationToken cancellationToken)
    {
        if (page.TryGetKeyset(out var keyset) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: ProblemTitles.Validation);
        }

        var rows = await services.Cache.ListByPostAsync(postId, keyset, services.Consistency, cancellationToken);
        return rows is null ? TypedResults.NotFound() : TypedResults.Ok(keyset.ToPage(rows, c => c.Id));
    }

    public static Task<Results<Ok<Page<Comment>>, ValidationProblem>> ListUserComments(
        long userId, [AsParameters] PageRequest page, [AsParameters] CommentServices services, CancellationToken cancellationToken) =>
        AuthoredApi.ListByAuthorAsync(userId, page, services.Cache, services.Consistency, cancellationToken);
}

/// <summary>What every comment handler takes (bound with <c>[AsParameters]</c>).</summary>
internal sealed record CommentServices(CommentStore Store, CommentCache Cache, TimeProvider Time, HttpContext Http) : IRequestServices;
