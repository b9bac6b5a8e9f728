using ScalableApi.Content.Comments;
using ScalableApi.Platform.Caching;

namespace ScalableApi.Content.Posts;

/// <summary>
/// Anonymous post reads through the platform cache (memory L1, Redis L2, backplane), with each write changing
/// exactly what it makes stale, on every replica, before it answers. Everything is keyed by the version of what it
/// belongs to (<see cref="CollectionVersions"/>): a post (and its comment pages, see <see cref="CommentCache"/>) by
/// <c>post:{id}</c>, a user's posts by <c>user:{id}:posts</c>. A new post replaces its own version and its author's
/// posts'; a deleted post its own, its author's posts' and every commenter's comments'.
/// <para>
/// Versions rather than writing the new value into the cache: concurrent writes of one post (twenty comments at
/// once) would each put "their" count, and the last to arrive need not be the last committed. A version is
/// replaced after the commit, so whatever fills the current version reads every committed write; and fills right
/// after a write read the primary, so a standby behind on replay cannot put old rows (or a deleted post) back.
/// </para>
/// Concurrent misses of one key make one query (single flight). Every read comes here, signed in or not: a read whose
/// consistency token is newer than the entry reads the database instead (<see cref="ConsistentCaching"/>).
/// </summary>
internal sealed class PostCache(CollectionVersions versions, PostStore store) : IAuthoredCache<Post>
{
    /// <summary>The version of a post: its content, its comment count and its comment pages.</summary>
    public static string PostCollection(long id) => string.Create(CultureInfo.InvariantCulture, $"post:{id}");

    /// <summary>The version of a user's posts.</summary>
    public static string AuthorCollection(long userId) => string.Create(CultureInfo.InvariantCulture, $"user:{userId}:posts");

    public ValueTask<Post?> GetAsync(long id, ReadConsistency consistency, CancellationToken cancellationToken) =>
        versions.GetOrCreateAsync(
            PostCollection(id),
            "post",
            (store, id),
            static async (state, read, ct) => await state.store.GetAsync(state.id, read, ct),
            consistency,
            cancellationToken);

    /// <summary>A page of a user's posts with its look-ahead row.</summary>
    public ValueTask<List<Post>> ListByAuthorAsync(long userId, Keyset page, ReadConsistency consistency, CancellationToken cancellationToken) =>
        versions.ListByAuthorAsync(AuthorCollection(userId), store, userId, page, consistency, cancellationToken);

    /// <summary>A new post: itself (a "no such post" may be cached for its id) and its author's posts.</summary>
    public async Task CreatedAsync(Post post, CancellationToken cancellationToken)
    {
        await versions.ChangedAsync(PostCollection(post.Id), cancellationToken);
        await versions.ChangedAsync(AuthorCollection(post.AuthorId), cancellationToken);
    }

    /// <summary>A deleted post: itself and its comment pages, its author's posts, and each commenter's comments.</summary>
    public async Task DeletedAsync(long postId, PostDeletion deletion, CancellationToken cancellationToken)
    {
        await versions.ChangedAsync(PostCollection(postId), cancellationToken);
        await versions.ChangedAsync(AuthorCollection(deletion.AuthorId), cancellationToken);
        foreach (var commenter in deletion.CommenterIds)
        {
            await versions.ChangedAsync(CommentCache.AuthorCollection(commenter), cancellationToken);
        }
    }
}
