using FluentValidation;

namespace ScalableApi.Content.Data;

/// <summary>Validation rules for free text that the engines would otherwise reject or alter.</summary>
internal static class TextRules
{
    /// <summary>
    /// Text both engines store exactly: no U+0000 (PostgreSQL <c>text</c> refuses it) and no lone UTF-16 surrogate
    /// (JSON lets <c>"\ud800"</c> through; it has no UTF-8 form, so SQLite would store U+FFFD and Npgsql would throw).
    /// A client error on every engine, so the same request gets the same answer on SQLite and PostgreSQL.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> StorableText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || IsStorable(value))
            .WithMessage("must be valid Unicode text without NUL (U+0000) characters.");

    private static bool IsStorable(string value)
    {
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
}
