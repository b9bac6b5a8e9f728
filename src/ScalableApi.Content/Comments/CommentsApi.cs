using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ScalableApi.Content.Caching;
using ScalableApi.Content.Data;
using ScalableApi.Content.Posts;
using ScalableApi.Contracts;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Http;
using ScalableApi.Platform.Security;
using ScalableApi.Platform.Validation;

namespace ScalableApi.Content.Comments;

/// <summary>Routes of the comments feature: comment on a post, read one, a post's and a user's comments newest first.</summary>
public static class CommentsApi
{
    public static IEndpointRouteBuilder MapCommentsApi(this IEndpointRouteBuilder app)
    {
        var postComments = app.MapGroup("/api/posts/{postId:long}/comments").WithTags("Comments");
        postComments.MapPost("", CreateComment).RequireAuthorization().Validate<CreateCommentRequest>();
        postComments.MapGet("", ListPostComments).CachePublicly();

        // The Location of a created comment must resolve to something.
        app.MapGet("/api/comments/{id:long}", GetComment).WithTags("Comments").CachePublicly();
        app.MapGet("/api/users/{userId:long}/comments", ListUserComments).WithTags("Comments").CachePublicly();
        return app;
    }

    public static async Task<Results<Created<Comment>, NotFound, UnauthorizedHttpResult>> CreateComment(
        long postId, CreateCommentRequest request, ClaimsPrincipal user, CommentQueries comments, ContentCache cache, TimeProvider time, CancellationToken cancellationToken)
    {
        // A validly signed token whose sub is not a user id identifies nobody.
        if (user.GetUserId() is not { } authorId)
        {
            return TypedResults.Unauthorized();
        }

        if (await comments.InsertAsync(postId, authorId, request.Body!, UnixTime.Now(time), cancellationToken) is not var (comment, post))
        {
            return TypedResults.NotFound();
        }

        await cache.CommentCreatedAsync(comment, post, cancellationToken);
        return TypedResults.Created($"/api/comments/{comment.Id}", comment);
    }

    public static async Task<Results<Ok<Comment>, NotFound>> GetComment(long id, CommentQueries comments, CancellationToken cancellationToken) =>
        await comments.GetAsync(id, cancellationToken) is { } comment ? TypedResults.Ok(comment) : TypedResults.NotFound();

    public static async Task<Results<Ok<Page<Comment>>, NotFound, ValidationProblem>> ListPostComments(
        long postId, [AsParameters] PageRequest page, ClaimsPrincipal user, CommentQueries comments, ContentCache cache, CancellationToken cancellationToken)
    {
        if (page.Validate(1, out var keys) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "One or more fields are not valid.");
        }

        var (before, take) = (Keyset.Before(page, keys), Keyset.Take(page));
        var rows = PostsApi.IsSignedIn(user)
            ? await comments.ListByPostAsync(postId, before, take, primary: true, cancellationToken)
            : await cache.PostCommentsAsync(postId, before, take, cancellationToken);
        return rows is null ? TypedResults.NotFound() : TypedResults.Ok(Keyset.ToPage(rows, page, c => c.Id));
    }

    /// <summary>An unknown user has an empty page: users live in another service's database, so we cannot tell.</summary>
    public static async Task<Results<Ok<Page<Comment>>, ValidationProblem>> ListUserComments(
        long userId, [AsParameters] PageRequest page, ClaimsPrincipal user, CommentQueries comments, ContentCache cache, CancellationToken cancellationToken)
    {
        if (page.Validate(1, out var keys) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "One or more fields are not valid.");
        }

        var (before, take) = (Keyset.Before(page, keys), Keyset.Take(page));
        var rows = PostsApi.IsSignedIn(user)
            ? await comments.ListByAuthorAsync(userId, before, take, primary: true, cancellationToken)
            : await cache.UserCommentsAsync(userId, before, take, cancellationToken);
        return TypedResults.Ok(Keyset.ToPage(rows, page, c => c.Id));
    }
}
