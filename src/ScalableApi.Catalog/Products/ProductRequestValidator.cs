using FluentValidation;
using ScalableApi.Catalog.Common;
using ScalableApi.Platform.Validation;

namespace ScalableApi.Catalog.Products;

/// <summary>SPEC §2 rules for a product body; registered from the assembly by the platform.</summary>
internal sealed class ProductRequestValidator : AbstractValidator<ProductRequest>
{
    public ProductRequestValidator()
    {
        // Stop at a rule's first failure: the later checks assume the value is present.
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(r => r.Name)
            .NotNull().WithMessage("name is required.")
            .Must(n => n!.Trim().Length is >= 1 and <= ProductRequest.NameMaxLength)
            .WithMessage($"name must be 1 to {ProductRequest.NameMaxLength} characters after trimming.")
            .Must(WellFormedText.IsValid).WithMessage("name " + WellFormedText.Message);

        RuleFor(r => r.Description)
            .MaximumLength(ProductRequest.DescriptionMaxLength)
            .WithMessage($"description must be at most {ProductRequest.DescriptionMaxLength} characters.")
            .Must(WellFormedText.IsValid).WithMessage("description " + WellFormedText.Message);

        RuleFor(r => r.Price)
            .NotNull().WithMessage("price is required.")
            .Must(p => p!.Value is >= 0 and <= Money.MaxPrice)
            .WithMessage($"price must be between 0 and {Money.MaxPrice:0}.")
            .Must(p => Money.HasAtMostTwoDecimals(p!.Value)).WithMessage("price must have at most 2 decimals.");

        RuleFor(r => r.Stock)
            .NotNull().WithMessage("stock is required.")
            .GreaterThanOrEqualTo(0).WithMessage("stock must be 0 or more.");
    }
}
