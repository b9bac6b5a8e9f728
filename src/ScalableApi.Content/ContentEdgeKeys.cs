using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Contracts;

namespace ScalableApi.Content;

/// <summary>
/// The surrogate keys of the content service's public reads (the gateway's edge cache drops a response when one of
/// its keys is purged), and the keys each write changes. One place, so a read and the writes that change it agree:
/// <list type="bullet">
/// <item><c>post:{id}</c>: a post (title, body, comment count). Named by the post, and by every page of its author's
/// posts that shows it (the count shows there too), so a comment purges only the pages that show its post.</item>
/// <item><c>post:{id}:comments</c>: a post's comment pages, and each of its comments (a comment never changes: it goes
/// only with its post or its author, and either way its post's comment pages change).</item>
/// <item><c>user:{id}:posts</c>, <c>user:{id}:comments</c>: which posts and comments a user's pages list.</item>
/// </list>
/// </summary>
internal static class ContentEdgeKeys
{
    public static string Post(long id) => string.Create(CultureInfo.InvariantCulture, $"post:{id}");

    public static string PostComments(long postId) => string.Create(CultureInfo.InvariantCulture, $"post:{postId}:comments");

    public static string UserPosts(long userId) => string.Create(CultureInfo.InvariantCulture, $"user:{userId}:posts");

    public static string UserComments(long userId) => string.Create(CultureInfo.InvariantCulture, $"user:{userId}:comments");

    /// <summary>A page of a user's posts: the list, and each post it shows.</summary>
    public static string UserPostsPage(long userId, Page<Post>? page) =>
        string.Join(' ', (page?.Items ?? []).Select(p => Post(p.Id)).Prepend(UserPosts(userId)));

    /// <summary>A new comment: its post (the count, also on its author's pages), the post's comments, the commenter's comments.</summary>
    public static string CommentCreated(Comment comment) =>
        string.Join(' ', Post(comment.PostId), PostComments(comment.PostId), UserComments(comment.AuthorId));

    /// <summary>
    /// A repeated delete answered from its caller's tombstone changed nothing: the first one did, and the gateway that
    /// carried it purged what it changed. Naming the post itself keeps the replay from purging everything.
    /// </summary>
    public static string PostDeleteReplayed(long postId) => string.Join(' ', Post(postId), PostComments(postId));

    /// <summary>A deleted post: itself, its comments, its author's posts, and the comment pages of everyone who commented.</summary>
    public static string PostDeleted(long postId, PostDeletion deletion) =>
        string.Join(' ', deletion.CommenterIds.Select(UserComments).Prepend(UserPosts(deletion.AuthorId)).Prepend(PostComments(postId)).Prepend(Post(postId)));
}
