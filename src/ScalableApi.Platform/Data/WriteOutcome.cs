namespace ScalableApi.Platform.Data;

/// <summary>What a conditional write did, so a handler answers without looking at the row again.</summary>
public enum WriteOutcome
{
    /// <summary>Written (200, 201 or 204).</summary>
    Done,

    /// <summary>There is no such row (404).</summary>
    NotFound,

    /// <summary>The row is someone else's (403).</summary>
    Forbidden,

    /// <summary><c>If-Match</c> named a version that is no longer current (412).</summary>
    PreconditionFailed,
}

/// <summary>A write's outcome and, when it wrote, what it produced (the new row, or what a delete took with it).</summary>
public readonly record struct WriteResult<T>(WriteOutcome Outcome, T? Value)
{
    public static WriteResult<T> Done(T value) => new(WriteOutcome.Done, value);

    public static implicit operator WriteResult<T>(WriteOutcome outcome) => new(outcome, default);
}
