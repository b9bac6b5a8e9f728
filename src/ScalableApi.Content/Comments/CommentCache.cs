using ScalableApi.Content.Posts;
using ScalableApi.Platform.Caching;

namespace ScalableApi.Content.Comments;

/// <summary>
/// Anonymous comment pages through the platform cache, keyed by versions as <see cref="PostCache"/> explains: a
/// post's comment pages under its post's version (<c>post:{id}</c>: the count on the post changes with them), a
/// user's comments under <c>user:{id}:comments</c>. A new comment replaces its post's version, the commenter's
/// comments' and the post author's posts' (they show counts).
/// </summary>
internal sealed class CommentCache(CollectionVersions versions, CommentStore store) : IAuthoredCache<Comment>
{
    /// <summary>The version of a user's comments.</summary>
    public static string AuthorCollection(long userId) => string.Create(CultureInfo.InvariantCulture, $"user:{userId}:comments");

    /// <summary>A page of a post's comments with its look-ahead row; null when the post does not exist (cached too: the post's creation changes it).</summary>
    public async ValueTask<List<Comment>?> ListByPostAsync(long postId, Keyset page, ReadConsistency consistency, CancellationToken cancellationToken) =>
        (await versions.GetOrCreateAsync(
            PostCache.PostCollection(postId),
            "comments:" + page.CacheKey,
            (store, postId, page),
            static async (state, read, ct) => new PostComments(await state.store.ListByPostAsync(state.postId, state.page, read, ct)),
            consistency,
            cancellationToken)).Rows;

    /// <summary>A page of a user's comments with its look-ahead row.</summary>
    public ValueTask<List<Comment>> ListByAuthorAsync(long userId, Keyset page, ReadConsistency consistency, CancellationToken cancellationToken) =>
        versions.ListByAuthorAsync(AuthorCollection(userId), store, userId, page, consistency, cancellationToken);

    /// <summary>A new comment: its post (the count, the pages), the commenter's comments, the post author's posts (counts).</summary>
    public async Task CreatedAsync(Comment comment, Post post, CancellationToken cancellationToken)
    {
        await versions.ChangedAsync(PostCache.PostCollection(post.Id), cancellationToken);
        await versions.ChangedAsync(AuthorCollection(comment.AuthorId), cancellationToken);
        await versions.ChangedAsync(PostCache.AuthorCollection(post.AuthorId), cancellationToken);
    }

    /// <summary>A post's comment page as cached (JSON in Redis); <see cref="Rows"/> null for a post that does not exist.</summary>
    internal sealed record PostComments(List<Comment>? Rows);
}
