using FluentValidation;

namespace ScalableApi.Content.Posts;

/// <summary>Body of POST /api/posts. Nullable so a missing field is a validation error, not a binding failure.</summary>
internal sealed record CreatePostRequest(string? Title, string? Body)
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 20_000;
}

/// <summary>Title trimmed to 1–200 characters; body 1–20,000 characters, kept exactly as sent.</summary>
internal sealed class CreatePostRequestValidator : AbstractValidator<CreatePostRequest>
{
    public CreatePostRequestValidator()
    {
        // The title is checked in the form it is stored: trimmed.
        RuleFor(r => r.Title)
            .Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("'title' is required.")
            .Must(t => t!.Trim().Length is >= 1 and <= CreatePostRequest.MaxTitleLength)
            .WithMessage($"'title' must be 1 to {CreatePostRequest.MaxTitleLength} characters after trimming.")
            .WellFormed();
        RuleFor(r => r.Body).Body(CreatePostRequest.MaxBodyLength);
    }
}
