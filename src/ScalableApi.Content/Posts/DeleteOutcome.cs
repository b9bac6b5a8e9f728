namespace ScalableApi.Content.Posts;

/// <summary>What a delete did, so the handler can answer 204, 403 or 404 without a second look at the row.</summary>
public enum DeleteOutcome
{
    Deleted,
    NotFound,
    Forbidden,
}

/// <summary>What a delete did and, when it deleted, whose cached pages it changed: the post's author and its commenters'.</summary>
public sealed record PostDeletion(DeleteOutcome Outcome, long AuthorId, IReadOnlyList<long> CommenterIds);
