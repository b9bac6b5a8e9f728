using System.Globalization;
using Microsoft.Extensions.Caching.Hybrid;
using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Platform.Caching;

namespace ScalableApi.Content.Caching;

/// <summary>
/// Anonymous content reads through the platform cache (memory L1, Redis L2, backplane), with each write changing
/// exactly what it makes stale, on every replica, before it answers. Everything is keyed by the version of what
/// it belongs to (<see cref="CollectionVersions"/>): a post and its comment pages by <c>post:{id}</c>, a user's
/// pages by <c>user:{id}:posts</c> or <c>user:{id}:comments</c>. A write replaces the versions it changes: a new
/// post its own and its author's posts; a new comment its post's (the count and the pages), the commenter's
/// comments and the post author's posts (which show counts); a deleted post its own, its author's posts and every
/// commenter's comments.
/// <para>
/// Versions rather than writing the new value into the cache: concurrent writes of one post (twenty comments at
/// once) would each put "their" count, and the last to arrive need not be the last committed. A version is
/// replaced after the commit, so whatever fills the current version reads every committed write; and fills right
/// after a write read the primary, so a standby behind on replay cannot put old rows (or a deleted post) back.
/// </para>
/// Concurrent misses of one key make one query (single flight). Signed-in callers do not come here: they read the
/// primary, so they see their own writes.
/// </summary>
public sealed class ContentCache(HybridCache cache, CollectionVersions versions, PostQueries posts, CommentQueries comments)
{
    /// <summary>The version of a post: its content, its comment count and its comment pages.</summary>
    public static string PostKey(long id) => string.Create(CultureInfo.InvariantCulture, $"post:{id}");

    public static string UserPosts(long userId) => string.Create(CultureInfo.InvariantCulture, $"user:{userId}:posts");

    public static string UserComments(long userId) => string.Create(CultureInfo.InvariantCulture, $"user:{userId}:comments");

    public async ValueTask<Post?> GetPostAsync(long id, CancellationToken cancellationToken)
    {
        var version = await versions.GetAsync(PostKey(id), cancellationToken);
        return await cache.GetOrCreateAsync(
            string.Create(CultureInfo.InvariantCulture, $"{PostKey(id)}:v{version.Version}"),
            (posts, id, primary: versions.FillFromPrimary(version)),
            static async (state, ct) => await state.posts.GetAsync(state.id, state.primary, ct),
            cancellationToken: cancellationToken);
    }

    /// <summary>A page of a post's comments; null when the post does not exist (cached too: the post's creation changes it).</summary>
    public async ValueTask<IReadOnlyList<Comment>?> PostCommentsAsync(long postId, long before, int take, CancellationToken cancellationToken)
    {
        return await PageAsync<(CommentQueries Comments, long PostId, long Before, int Take), Comment>(
            PostKey(postId),
            "comments",
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
            "page",
            before,
            take,
            (posts, userId, before, take),
            static async (state, primary, ct) => [.. await state.Posts.ListByAuthorAsync(state.UserId, state.Before, state.Take, primary, ct)],
            cancellationToken) ?? [];

    public async ValueTask<IReadOnlyList<Comment>> UserCommentsAsync(long userId, long before, int take, CancellationToken cancellationToken) =>
        await PageAsync<(CommentQueries Comments, long UserId, long Before, int Take), Comment>(
            UserComments(userId),
            "page",
            before,
            take,
            (comments, userId, before, take),
            static async (state, primary, ct) => [.. await state.Comments.ListByAuthorAsync(state.UserId, state.Before, state.Take, primary, ct)],
            cancellationToken) ?? [];

    /// <summary>A new post: itself (a "no such post" may be cached for its id) and its author's posts.</summary>
    public async Task PostCreatedAsync(Post post, CancellationToken cancellationToken)
    {
        await versions.ChangedAsync(PostKey(post.Id), cancellationToken);
        await versions.ChangedAsync(UserPosts(post.AuthorId), cancellationToken);
    }

    /// <summary>A new comment: its post (the count, the pages), the commenter's comments, the post author's posts (counts).</summary>
    public async Task CommentCreatedAsync(Comment comment, Post post, CancellationToken cancellationToken)
    {
        await versions.ChangedAsync(PostKey(post.Id), cancellationToken);
        await versions.ChangedAsync(UserComments(comment.AuthorId), cancellationToken);
        await versions.ChangedAsync(UserPosts(post.AuthorId), cancellationToken);
    }

    /// <summary>A deleted post: itself and its comment pages, its author's posts, and each commenter's comments.</summary>
    public async Task PostDeletedAsync(long postId, PostDeletion deletion, CancellationToken cancellationToken)
    {
        await versions.ChangedAsync(PostKey(postId), cancellationToken);
        await versions.ChangedAsync(UserPosts(deletion.AuthorId), cancellationToken);
        foreach (var commenter in deletion.CommenterIds)
        {
            await versions.ChangedAsync(UserComments(commenter), cancellationToken);
        }
    }

    /// <summary>One page of <paramref name="collection"/> under its current version (a miss reads the primary right after a write).</summary>
    private async ValueTask<List<T>?> PageAsync<TState, T>(
        string collection,
        string kind,
        long before,
        int take,
        TState state,
        Func<TState, bool, CancellationToken, Task<List<T>?>> query,
        CancellationToken cancellationToken)
    {
        var version = await versions.GetAsync(collection, cancellationToken);
        var key = string.Create(CultureInfo.InvariantCulture, $"{collection}:v{version.Version}:{kind}:b{before}:t{take}");
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
