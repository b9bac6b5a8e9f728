using FluentValidation;

namespace ScalableApi.Content;

/// <summary>The rule posts and comments share.</summary>
internal static class AuthoredRequests
{
    /// <summary>
    /// A body of 1 to <paramref name="maxLength"/> characters, kept exactly as sent. NotEmpty also refuses a body of
    /// only whitespace: such a post or comment has nothing to show.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> Body<T>(this IRuleBuilderInitial<T, string?> rule, int maxLength) => rule
        .Cascade(CascadeMode.Stop)
        .NotEmpty().WithMessage("'body' is required.")
        .MaximumLength(maxLength)
        .WithMessage(string.Create(CultureInfo.InvariantCulture, $"'body' must be at most {maxLength} characters."))
        .WellFormed();
}
