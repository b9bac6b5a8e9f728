namespace ScalableApi.Content.Comments;

/// <summary>A comment as the API returns it.</summary>
internal sealed record Comment(long Id, long PostId, long AuthorId, string Body, DateTime CreatedAt) : IAuthored;
