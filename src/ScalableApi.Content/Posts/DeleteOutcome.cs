namespace ScalableApi.Content.Posts;

/// <summary>What a delete did, so the handler can answer 204, 403 or 404 without a second look at the row.</summary>
public enum DeleteOutcome
{
    Deleted,
    NotFound,
    Forbidden,
}
