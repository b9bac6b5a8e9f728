using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
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
        CreatePostRequest request, ClaimsPrincipal user, PostQueries posts, TimeProvider time, CancellationToken cancellationToken)
    {
        // A validly signed token whose sub is not a user id identifies nobody.
        if (user.GetUserId() is not { } authorId)
        {
            return TypedResults.Unauthorized();
        }

        var post = await posts.InsertAsync(authorId, request.Title!.Trim(), request.Body!, UnixTime.Now(time), cancellationToken);
        return TypedResults.Created($"/api/posts/{post.Id}", post);
    }

    public static async Task<Results<Ok<Post>, NotFound>> GetPost(long id, PostQueries posts, CancellationToken cancellationToken) =>
        await posts.GetAsync(id, cancellationToken) is { } post ? TypedResults.Ok(post) : TypedResults.NotFound();

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult, UnauthorizedHttpResult>> DeletePost(
        long id, ClaimsPrincipal user, PostQueries posts, CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not { } callerId)
        {
            return TypedResults.Unauthorized();
        }

        return await posts.DeleteAsync(id, callerId, user.IsAdmin(), cancellationToken) switch
        {
            DeleteOutcome.Deleted => TypedResults.NoContent(),
            DeleteOutcome.Forbidden => TypedResults.Forbid(),
            _ => TypedResults.NotFound(),
        };
    }

    /// <summary>An unknown user has an empty page: users live in another service's database, so we cannot tell.</summary>
    public static async Task<Results<Ok<Page<Post>>, ValidationProblem>> ListUserPosts(
        long userId, [AsParameters] PageRequest page, PostQueries posts, CancellationToken cancellationToken)
    {
        if (page.Validate(1, out var keys) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "One or more fields are not valid.");
        }

        var rows = await posts.ListByAuthorAsync(userId, Keyset.Before(page, keys), Keyset.Take(page), cancellationToken);
        return TypedResults.Ok(Keyset.ToPage(rows, page, p => p.Id));
    }
}
