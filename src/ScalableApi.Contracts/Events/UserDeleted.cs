namespace ScalableApi.Contracts.Events;

/// <summary>
/// Published by the users service (through its outbox) when a user's deletion has committed; the content service
/// removes the user's posts, their comments and the comments on their posts.
/// </summary>
public sealed record UserDeleted(long UserId, DateTime DeletedAt);
