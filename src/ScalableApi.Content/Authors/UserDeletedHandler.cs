using Dapper;
using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Contracts.Events;
using ScalableApi.Platform.Caching;
using ScalableApi.Platform.Messaging;

namespace ScalableApi.Content.Authors;

/// <summary>
/// A user was deleted: their posts, their comments, and the comments others left on their posts go, in the inbox's
/// transaction (a redelivered event changes nothing). Afterwards every cached page that showed any of it is retired
/// on every replica: the user's own pages, each deleted post, each post that lost a comment (its count) and its
/// author's posts, and the comment pages of everyone whose comments on the user's posts went.
/// </summary>
internal sealed class UserDeletedHandler(CollectionVersions versions, IServiceProvider services) : IEventHandler<UserDeleted>
{
    // Others' comments on the user's posts (the user's own there too): their authors' comment pages change.
    internal const string DeleteCommentsOnPostsSql = """
        DELETE FROM comments WHERE post_id IN (SELECT id FROM posts WHERE author_id = @UserId)
        RETURNING author_id
        """;

    // Posts of others that lose the user's comments: the counter first, while the comments are still there to count.
    internal const string RecountSql = """
        UPDATE posts SET comment_count = comment_count
            - (SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id AND c.author_id = @UserId)
        WHERE id IN (SELECT post_id FROM comments WHERE author_id = @UserId)
        RETURNING id, author_id
        """;

    internal const string DeleteCommentsSql = "DELETE FROM comments WHERE author_id = @UserId";

    internal const string DeletePostsSql = "DELETE FROM posts WHERE author_id = @UserId RETURNING id";

    /// <summary>
    /// What the edge shows of it (see <see cref="ContentEdgeKeys"/>): the user's pages, each deleted post and its
    /// comments, each post that lost a comment (its count, which its author's pages show, and its comments), and the
    /// comment pages of everyone whose comments on the user's posts went.
    /// </summary>
    internal static string[] EdgeKeys(long userId, long[] posts, (long Id, long AuthorId)[] touched, long[] commenters) =>
    [
        .. new[] { ContentEdgeKeys.UserPosts(userId), ContentEdgeKeys.UserComments(userId) }
            .Concat(posts.Concat(touched.Select(t => t.Id)).SelectMany(post => new[] { ContentEdgeKeys.Post(post), ContentEdgeKeys.PostComments(post) }))
            .Concat(commenters.Where(c => c != userId).Select(ContentEdgeKeys.UserComments))
            .Distinct(StringComparer.Ordinal),
    ];

    public async Task HandleAsync(UserDeleted @event, EventContext context, CancellationToken cancellationToken)
    {
        var connection = context.Connection;
        var parameters = new { @event.UserId };
        CommandDefinition Command(string sql) => new(sql, parameters, context.Transaction, cancellationToken: cancellationToken);

        var commenters = (await connection.QueryAsync<long>(Command(DeleteCommentsOnPostsSql))).Distinct().ToArray();
        var touched = (await connection.QueryAsync<(long Id, long AuthorId)>(Command(RecountSql))).ToArray();
        await connection.ExecuteAsync(Command(DeleteCommentsSql));
        var posts = (await connection.QueryAsync<long>(Command(DeletePostsSql))).ToArray();

        context.AfterCommit(async ct =>
        {
            await versions.ChangedAsync(PostCache.AuthorCollection(@event.UserId), ct);
            await versions.ChangedAsync(CommentCache.AuthorCollection(@event.UserId), ct);
            foreach (var post in posts)
            {
                await versions.ChangedAsync(PostCache.PostCollection(post), ct);
            }

            foreach (var (post, author) in touched)
            {
                await versions.ChangedAsync(PostCache.PostCollection(post), ct);
                await versions.ChangedAsync(PostCache.AuthorCollection(author), ct);
            }

            foreach (var commenter in commenters.Where(c => c != @event.UserId))
            {
                await versions.ChangedAsync(CommentCache.AuthorCollection(commenter), ct);
            }

            // The users service wrote it before its 204 unless the store was down then; the event needs the store, so now it is up.
            if (services.GetService<TokenRevocations>() is { } revocations)
            {
                await revocations.RevokeUserAsync(@event.UserId);
            }

            // Removed after the user's DELETE answered, so no gateway purged these pages for it: every gateway is told now.
            await EdgePurges.PublishAsync(services, "content:user-deleted", EdgeKeys(@event.UserId, posts, touched, commenters));
        });
    }
}
