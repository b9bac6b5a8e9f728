namespace ScalableApi.Content.Posts;

/// <summary>A post as the API returns it. <see cref="CommentCount"/> comes from a counter kept on the row.</summary>
public sealed record Post(long Id, long AuthorId, string Title, string Body, DateTime CreatedAt, long CommentCount);
