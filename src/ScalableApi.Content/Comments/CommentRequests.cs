using FluentValidation;

namespace ScalableApi.Content.Comments;

/// <summary>Body of POST /api/posts/{id}/comments. Nullable so a missing field is a validation error.</summary>
internal sealed record CreateCommentRequest(string? Body)
{
    public const int MaxBodyLength = 5_000;
}

/// <summary>Body 1–5,000 characters, kept exactly as sent.</summary>
internal sealed class CreateCommentRequestValidator : AbstractValidator<CreateCommentRequest>
{
    public CreateCommentRequestValidator()
    {
        // NotEmpty also refuses a body of only whitespace: such a comment has nothing to show.
        RuleFor(r => r.Body)
            .Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("'body' is required.")
            .MaximumLength(CreateCommentRequest.MaxBodyLength)
            .WithMessage($"'body' must be at most {CreateCommentRequest.MaxBodyLength} characters.")
            .WellFormed();
    }
}
