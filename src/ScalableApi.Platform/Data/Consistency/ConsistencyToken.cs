namespace ScalableApi.Platform.Data.Consistency;

/// <summary>
/// A consistency token names a position in a service's database: PostgreSQL, the WAL position (LSN) at or after a
/// write's commit; SQLite, a version the database increments after each write. It travels in the
/// <c>Consistency-Token</c> header as <c>{engine}.{16 hex digits}</c>: fixed width, so the gateway's store compares
/// two of one service as strings, and the engine prefix lets a service ignore a token of another kind.
/// </summary>
public static class ConsistencyToken
{
    public const string HeaderName = "Consistency-Token";

    public static string Format(DatabaseEngine engine, long position) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix(engine)}.{position:X16}");

    /// <summary>
    /// Reads <paramref name="value"/>: true with the position for a token of <paramref name="engine"/>, true with 0 for
    /// a well-formed token of another engine (it names nothing here), false when it is not a token at all.
    /// </summary>
    public static bool TryParse(string? value, DatabaseEngine engine, out long position)
    {
        position = 0;
        var dot = value?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (value is null || dot <= 0 || value.Length - dot - 1 != 16
            || !long.TryParse(value.AsSpan(dot + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var parsed)
            || parsed < 0)
        {
            return false;
        }

        var prefix = value.AsSpan(0, dot);
        if (prefix.SequenceEqual(Prefix(engine)))
        {
            position = parsed;
            return true;
        }

        return prefix.SequenceEqual(Prefix(DatabaseEngine.Postgres)) || prefix.SequenceEqual(Prefix(DatabaseEngine.Sqlite));
    }

    private static string Prefix(DatabaseEngine engine) => engine == DatabaseEngine.Postgres ? "pg" : "sqlite";
}
