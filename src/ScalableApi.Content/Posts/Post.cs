namespace ScalableApi.Content.Posts;

/// <summary>A post as the API returns it. <see cref="CommentCount"/> comes from a counter kept on the row.</summary>
internal sealed record Post(long Id, long AuthorId, string Title, string Body, DateTime CreatedAt, long CommentCount) : IAuthored;

/// <summary>What a deletion took with it: whose cached pages it changed, the post's author and its commenters.</summary>
internal sealed record PostDeletion(long AuthorId, IReadOnlyList<long> CommenterIds);
