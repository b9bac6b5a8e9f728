using ScalableApi.Platform.Errors;

namespace ScalableApi.Platform.Data;

/// <summary>
/// The <c>limit</c> and <c>cursor</c> query parameters every list endpoint takes. Bind with <c>[AsParameters]</c>,
/// then <see cref="TryGetKeyset"/>: limit 1–<see cref="MaxLimit"/> (default <see cref="DefaultLimit"/>), a cursor
/// of ours or none (an empty <c>cursor=</c> counts as none).
/// </summary>
public record PageRequest(int? Limit, string? Cursor)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static readonly string LimitMessage = $"limit must be an integer between 1 and {MaxLimit}.";
    public const string CursorMessage = "cursor is not valid; use the nextCursor of a previous page.";

    /// <summary>
    /// The page as a newest-first keyset on one id, or the field errors of a validation problem
    /// (title <see cref="ProblemTitles.Validation"/>).
    /// </summary>
    public Dictionary<string, string[]>? TryGetKeyset(out Keyset keyset)
    {
        Span<long> keys = stackalloc long[1];
        Dictionary<string, string[]>? errors = null;
        if (Limit is < 1 or > MaxLimit)
        {
            (errors ??= [])["limit"] = [LimitMessage];
        }

        var hasCursor = !string.IsNullOrEmpty(Cursor);
        if (hasCursor && !KeysetCursor.TryDecode(Cursor, keys))
        {
            (errors ??= [])["cursor"] = [CursorMessage];
        }

        keyset = new Keyset(hasCursor && errors is null ? keys[0] : long.MaxValue, Limit ?? DefaultLimit);
        return errors;
    }
}
