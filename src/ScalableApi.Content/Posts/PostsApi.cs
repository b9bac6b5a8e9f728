using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ScalableApi.Content.Caching;
using ScalableApi.Content.Data;
using ScalableApi.Contracts;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Http;
using ScalableApi.Platform.Security;
using ScalableApi.Platform.Validation;

namespace ScalableApi.Content.Posts;

/// <summary>Routes of the posts feature: create, read, delete, and a user's posts newest first.</summary>
public static class PostsApi
{
    public static IEndpointRouteBuilder MapPostsApi(this IEndpointRouteBuilder app)
    {
        var posts = app.MapGroup("/api/posts").WithTags("Posts");
        posts.MapPost("", CreatePost).RequireAuthorization().Validate<CreatePostRequest>();
        posts.MapGet("/{id:long}", GetPost).CachePublicly();
        posts.MapDelete("/{id:long}", DeletePost).RequireAuthorization();

        // A user's posts live here, not in the users service: users and content do not share a database.
        app.MapGet("/api/users/{userId:long}/posts", ListUserPosts).WithTags("Posts").CachePublicly();
        return app;
    }

    public static async Task<Results<Created<Post>, UnauthorizedHttpResult>> CreatePost(
        CreatePostRequest request, ClaimsPrincipal user, PostQueries posts, ContentCache cache, TimeProvider time, CancellationToken cancellationToken)
    {
        // A validly signed token whose sub is not a user id identifies nobody.
        if (user.GetUserId() is not { } authorId)
        {
            return TypedResults.Unauthorized();
        }

        var post = await posts.InsertAsync(authorId, request.Title!.Trim(), request.Body!, UnixTime.Now(time), cancellationToken);
        await cache.PostCreatedAsync(post, cancellationToken);
        return TypedResults.Created($"/api/posts/{post.Id}", post);
    }

    /// <summary>Anonymous callers through the cache; signed-in ones from the primary, so they see their own writes.</summary>
    public static async Task<Results<Ok<Post>, NotFound>> GetPost(
        long id, ClaimsPrincipal user, PostQueries posts, ContentCache cache, CancellationToken cancellationToken)
    {
        var post = IsSignedIn(user) ? await posts.GetAsync(id, primary: true, cancellationToken) : await cache.GetPostAsync(id, cancellationToken);
        return post is null ? TypedResults.NotFound() : TypedResults.Ok(post);
    }

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult, UnauthorizedHttpResult>> DeletePost(
        long id, ClaimsPrincipal user, PostQueries posts, ContentCache cache, CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not { } callerId)
        {
            return TypedResults.Unauthorized();
        }

        var deletion = await posts.DeleteAsync(id, callerId, user.IsAdmin(), cancellationToken);
        if (deletion.Outcome == DeleteOutcome.Deleted)
        {
            await cache.PostDeletedAsync(id, deletion, cancellationToken);
        }

        return deletion.Outcome switch
        {
            DeleteOutcome.Deleted => TypedResults.NoContent(),
            DeleteOutcome.Forbidden => TypedResults.Forbid(),
            _ => TypedResults.NotFound(),
        };
    }

    /// <summary>An unknown user has an empty page: users live in another service's database, so we cannot tell.</summary>
    public static async Task<Results<Ok<Page<Post>>, ValidationProblem>> ListUserPosts(
        long userId, [AsParameters] PageRequest page, ClaimsPrincipal user, PostQueries posts, ContentCache cache, CancellationToken cancellationToken)
    {
        if (page.Validate(1, out var keys) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "One or more fields are not valid.");
        }

        var (before, take) = (Keyset.Before(page, keys), Keyset.Take(page));
        var rows = IsSignedIn(user)
            ? await posts.ListByAuthorAsync(userId, before, take, primary: true, cancellationToken)
            : await cache.UserPostsAsync(userId, before, take, cancellationToken);
        return TypedResults.Ok(Keyset.ToPage(rows, page, p => p.Id));
    }

    internal static bool IsSignedIn(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true;
}
