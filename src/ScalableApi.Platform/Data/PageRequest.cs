namespace ScalableApi.Platform.Data;

/// <summary>
/// The <c>limit</c> and <c>cursor</c> query parameters every list endpoint takes. Bind with
/// <c>[AsParameters]</c>; check with <see cref="Validate"/> (limit 1–100, default 20; cursor ours).
/// </summary>
public record PageRequest(int? Limit, string? Cursor)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public int EffectiveLimit => Limit ?? DefaultLimit;

    /// <summary>Field errors in the shape of a validation problem, or null when the request is fine.</summary>
    public Dictionary<string, string[]>? Validate(int cursorKeys, out long[] keys)
    {
        keys = new long[cursorKeys];
        Dictionary<string, string[]>? errors = null;
        if (Limit is < 1 or > MaxLimit)
        {
            (errors ??= [])["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        }

        if (Cursor is not null && !KeysetCursor.TryDecode(Cursor, keys))
        {
            (errors ??= [])["cursor"] = ["cursor is not valid; use the nextCursor of a previous page."];
        }

        return errors;
    }
}
