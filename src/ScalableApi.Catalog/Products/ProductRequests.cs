using FluentValidation;
using ScalableApi.Catalog.Common;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// Body of POST and PUT (full replacement). Nullable so a missing field is a validation error, not a 500;
/// a missing description means an empty one. Numbers must be JSON numbers (the platform reads JSON strictly).
/// </summary>
internal sealed record ProductRequest(string? Name, string? Description, decimal? Price, int? Stock)
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 5000;

    /// <summary>The name as stored: trimmed (SPEC), everything else exactly as sent.</summary>
    public string NormalizedName => (Name ?? "").Trim();
}

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

/// <summary>
/// Query string of GET /api/products. The prices bind as strings and are parsed here, so <c>minPrice=1e999</c>
/// gives a 400 naming the field; the page part is the platform's <see cref="PageRequest"/> rule.
/// </summary>
internal sealed record ProductListQuery(string? Limit, string? Cursor, string? Q, string? MinPrice, string? MaxPrice)
{
    /// <summary>Trigram search needs three characters to use its index on either engine.</summary>
    public const int SearchMinLength = 3;
    public const int SearchMaxLength = 200;

    /// <summary>Field errors, or null and the filter. An empty parameter (<c>limit=</c>) counts as absent.</summary>
    public Dictionary<string, string[]>? TryParse(out ProductFilter filter)
    {
        var errors = new Dictionary<string, string[]>();
        int? limit = null;
        if (!string.IsNullOrEmpty(Limit))
        {
            if (int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                limit = parsed;
            }
            else
            {
                errors["limit"] = [PageRequest.LimitMessage];
            }
        }

        if (new PageRequest(limit, Cursor).TryGetKeyset(out var keyset) is { } pageErrors)
        {
            foreach (var (field, messages) in pageErrors)
            {
                errors.TryAdd(field, messages);
            }
        }

        var search = Q?.Trim();
        if (string.IsNullOrEmpty(search))
        {
            search = null;
        }
        else if (search.Length is < SearchMinLength or > SearchMaxLength)
        {
            errors["q"] = [$"q must be {SearchMinLength} to {SearchMaxLength} characters."];
        }
        else if (!WellFormedText.IsValid(search))
        {
            errors["q"] = ["q " + WellFormedText.Message];
        }

        var minCents = ParsePrice(MinPrice, "minPrice", errors);
        var maxCents = ParsePrice(MaxPrice, "maxPrice", errors);
        if (minCents > maxCents)
        {
            errors["minPrice"] = ["minPrice must not be greater than maxPrice."];
        }

        filter = new ProductFilter(keyset, search, minCents, maxCents);
        return errors.Count == 0 ? null : errors;
    }

    private static long? ParsePrice(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        // No sign, exponent, thousands separators or spaces: a plain decimal like 12 or 12.50.
        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price) && Money.IsValidPrice(price))
        {
            return Money.ToCents(price);
        }

        errors[field] = [$"{field} must be a number between 0 and {Money.MaxPrice:0} with at most 2 decimals."];
        return null;
    }
}

/// <summary>A checked list request: the page and optional search and price bounds (in cents).</summary>
internal sealed record ProductFilter(Keyset Page, string? Search, long? MinCents, long? MaxCents);
