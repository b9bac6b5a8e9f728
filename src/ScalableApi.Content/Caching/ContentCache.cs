using System.Globalization;
using Microsoft.Extensions.Caching.Hybrid;
using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Platform.Caching;

namespace ScalableApi.Content.Caching;

/// <summary>
/// Anonymous content reads through the platform cache (memory L1, Redis L2, backplane), with each write changing
/// exactly what it makes stale, on every replica, before it answers:
/// <list type="bullet">
/// <item>a post is keyed and tagged <c>post:{id}</c>; writes replace it with what the primary now holds (the new
/// post, the post with its new comment count, or "not found" after a delete) rather than evict it, so the next
/// read has nothing to refill from a standby that is behind;</item>
/// <item>pages are keyed by their collection's version, <c>post:{id}:comments</c>, <c>user:{id}:posts</c> or
/// <c>user:{id}:comments</c>, plus their cursor and size; a write replaces the versions of the collections it
/// changes (a new comment: the post's comments, the commenter's comments, and the post author's posts, which show
/// comment counts; a deleted post: its comments, its author's posts and every commenter's comments), and pages
/// filled right after a write read the primary (<see cref="CollectionVersions"/>).</item>
/// </list>
/// Concurrent misses of one key make one query (single flight). Signed-in callers do not come here: they read the
/// primary, so they see their own writes.
/// </summary>
public sealed class ContentCache(HybridCache cache, CollectionVersions versions, PostQueries posts, CommentQueries comments)
{
    public static string PostKey(long id) => string.Create(CultureInfo.InvariantCulture, $"post:{id}");

    public static string PostComments(long postId) => string.Create(CultureInfo.InvariantCulture, $"post:{postId}:comments");

    public static string UserPosts(long userId) => string.Create(CultureInfo.InvariantCulture, $"user:{userId}:posts");

    public static string UserComments(long userId) => string.Create(CultureInfo.InvariantCulture, $"user:{userId}:comments");

    public ValueTask<Post?> GetPostAsync(long id, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            PostKey(id),
            (posts, id),
            static async (state, ct) => await state.posts.GetAsync(state.id, primary: false, ct),
            tags: [PostKey(id)],
            cancellationToken: cancellationToken);

    /// <summary>A page of a post's comments; null when the post does not exist (cached too: the post's creation changes it).</summary>
    public async ValueTask<IReadOnlyList<Comment>?> PostCommentsAsync(long postId, long before, int take, CancellationToken cancellationToken)
    {
        return await PageAsync<(CommentQueries Comments, long PostId, long Before, int Take), Comment>(
            PostComments(postId),
            before,
            take,
            (comments, postId, before, take),
            static async (state, primary, ct) =>
                await state.Comments.ListByPostAsync(state.PostId, state.Before, state.Take, primary, ct) is { } rows ? [.. rows] : null,
            cancellationToken);
    }

    public async ValueTask<IReadOnlyList<Post>> UserPostsAsync(long userId, long before, int take, CancellationToken cancellationToken) =>
        await PageAsync<(PostQueries Posts, long UserId, long Before, int Take), Post>(
            UserPosts(userId),
            before,
            take,
            (posts, userId, before, take),
            static async (state, primary, ct) => [.. await state.Posts.ListByAuthorAsync(state.UserId, state.Before, state.Take, primary, ct)],
            cancellationToken) ?? [];

    public async ValueTask<IReadOnlyList<Comment>> UserCommentsAsync(long userId, long before, int take, CancellationToken cancellationToken) =>
        await PageAsync<(CommentQueries Comments, long UserId, long Before, int Take), Comment>(
            UserComments(userId),
            before,
            take,
            (comments, userId, before, take),
            static async (state, primary, ct) => [.. await state.Comments.ListByAuthorAsync(state.UserId, state.Before, state.Take, primary, ct)],
            cancellationToken) ?? [];

    /// <summary>A new post: itself, its author's posts, and its comment pages (a "no such post" may be cached for its id).</summary>
    public async Task PostCreatedAsync(Post post, CancellationToken cancellationToken)
    {
        await SetPostAsync(post.Id, post, cancellationToken);
        await versions.ChangedAsync(UserPosts(post.AuthorId), cancellationToken);
        await versions.ChangedAsync(PostComments(post.Id), cancellationToken);
    }

    /// <summary>A new comment: its post (the count), the post's comments, the commenter's comments, the post author's posts (counts).</summary>
    public async Task CommentCreatedAsync(Comment comment, Post post, CancellationToken cancellationToken)
    {
        await SetPostAsync(post.Id, post, cancellationToken);
        await versions.ChangedAsync(PostComments(post.Id), cancellationToken);
        await versions.ChangedAsync(UserComments(comment.AuthorId), cancellationToken);
        await versions.ChangedAsync(UserPosts(post.AuthorId), cancellationToken);
    }

    /// <summary>A deleted post: a tombstone for it, its comment pages, its author's posts, and each commenter's comments.</summary>
    public async Task PostDeletedAsync(long postId, PostDeletion deletion, CancellationToken cancellationToken)
    {
        await SetPostAsync(postId, null, cancellationToken);
        await versions.ChangedAsync(PostComments(postId), cancellationToken);
        await versions.ChangedAsync(UserPosts(deletion.AuthorId), cancellationToken);
        foreach (var commenter in deletion.CommenterIds)
        {
            await versions.ChangedAsync(UserComments(commenter), cancellationToken);
        }
    }

    private ValueTask SetPostAsync(long id, Post? post, CancellationToken cancellationToken) =>
        cache.SetAsync(PostKey(id), post, tags: [PostKey(id)], cancellationToken: cancellationToken);

    /// <summary>One page of <paramref name="collection"/> under its current version (a miss reads the primary right after a write).</summary>
    private async ValueTask<List<T>?> PageAsync<TState, T>(
        string collection,
        long before,
        int take,
        TState state,
        Func<TState, bool, CancellationToken, Task<List<T>?>> query,
        CancellationToken cancellationToken)
    {
        var version = await versions.GetAsync(collection, cancellationToken);
        var key = string.Create(CultureInfo.InvariantCulture, $"{collection}:v{version.Version}:b{before}:t{take}");
        var page = await cache.GetOrCreateAsync(
            key,
            (state, query, primary: versions.FillFromPrimary(version)),
            static async (s, ct) => new CachedPage<T>(await s.query(s.state, s.primary, ct)),
            cancellationToken: cancellationToken);
        return page.Rows;
    }

    /// <summary>A page as cached (JSON in Redis); <see cref="Rows"/> null for a post that does not exist.</summary>
    internal sealed record CachedPage<T>(List<T>? Rows);
}
