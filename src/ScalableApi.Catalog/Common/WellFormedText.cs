namespace ScalableApi.Catalog.Common;

/// <summary>
/// JSON can carry strings no database stores: PostgreSQL rejects U+0000 in text, and Npgsql's strict UTF-8
/// encoder throws on a lone surrogate (<c>"\ud800"</c>). Both would be a 500; validators reject them as a 400.
/// </summary>
public static class WellFormedText
{
    public const string Message = "must not contain NUL characters or unpaired surrogates.";

    public static bool IsValid(string? value)
    {
        if (value is null)
        {
            return true;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
