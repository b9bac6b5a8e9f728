using FluentValidation;

namespace ScalableApi.Content.Data;

/// <summary>Validation rules for free text that the engines would otherwise reject with a 500.</summary>
internal static class TextRules
{
    /// <summary>
    /// PostgreSQL <c>text</c> cannot hold U+0000 (the insert fails), so a NUL character is a client error on
    /// every engine: the same request gets the same answer on SQLite and PostgreSQL.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> StorableText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || !value.Contains('\0', StringComparison.Ordinal))
            .WithMessage("must not contain NUL (U+0000) characters.");
}
