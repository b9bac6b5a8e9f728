using System.Globalization;
using ScalableApi.Catalog.Common;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Validation;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// Query string of GET /api/products. Every value binds as a string and is parsed here, so <c>limit=abc</c>
/// or <c>minPrice=1e999</c> gives a 400 naming the field instead of the framework's field-less binding error.
/// </summary>
public sealed record ProductListQuery(string? Limit, string? Cursor, string? Q, string? MinPrice, string? MaxPrice)
{
    /// <summary>Trigram search needs three characters to use its index on either engine.</summary>
    public const int SearchMinLength = 3;
    public const int SearchMaxLength = 200;

    /// <summary>Field errors, or null and the filter. An empty parameter (<c>cursor=</c>) counts as absent.</summary>
    internal Dictionary<string, string[]>? TryParse(out ProductFilter filter)
    {
        var errors = new Dictionary<string, string[]>();
        var limitText = NullIfEmpty(Limit);
        var cursor = NullIfEmpty(Cursor);

        int? limit = null;
        if (limitText is not null)
        {
            if (int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                limit = parsed;
            }
            else
            {
                errors["limit"] = [$"limit must be an integer between 1 and {PageRequest.MaxLimit}."];
            }
        }

        var page = new PageRequest(limit, cursor);
        if (page.Validate(1, out var keys) is { } pageErrors)
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

        var minCents = ParsePrice(NullIfEmpty(MinPrice), "minPrice", errors);
        var maxCents = ParsePrice(NullIfEmpty(MaxPrice), "maxPrice", errors);
        if (minCents > maxCents)
        {
            errors["minPrice"] = ["minPrice must not be greater than maxPrice."];
        }

        filter = new ProductFilter(page.EffectiveLimit, cursor is null ? null : keys[0], search, minCents, maxCents);
        return errors.Count == 0 ? null : errors;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static long? ParsePrice(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is null)
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
