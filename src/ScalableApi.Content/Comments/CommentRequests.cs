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
        RuleFor(r => r.Body).Body(CreateCommentRequest.MaxBodyLength);
    }
}
