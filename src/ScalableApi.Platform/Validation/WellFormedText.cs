using FluentValidation;

namespace ScalableApi.Platform.Validation;

/// <summary>
/// Text every engine stores exactly. JSON can carry strings no database keeps: PostgreSQL refuses U+0000 in
/// <c>text</c>, and a lone UTF-16 surrogate (<c>"\ud800"</c>) has no UTF-8 form (Npgsql throws, SQLite stores
/// U+FFFD). Rejecting both as a 400 keeps them from being a 500, and gives one answer on both engines.
/// </summary>
public static class WellFormedText
{
    public const string Message = "must be valid Unicode text without NUL (U+0000) characters or unpaired surrogates.";

    public static bool IsValid(string? value)
    {
        if (value is null)
        {
            return true;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++; // The low half of a valid pair.
            }
        }

        return true;
    }

    /// <summary>FluentValidation rule: the value is <see cref="IsValid"/>.</summary>
    public static IRuleBuilderOptions<T, string?> WellFormed<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsValid).WithMessage("{PropertyName} " + Message);
}
