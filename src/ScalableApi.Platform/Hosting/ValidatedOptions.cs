namespace ScalableApi.Platform.Hosting;

/// <summary>
/// Options bound once from their configuration section and checked when the host starts: a bad value stops the
/// process with a message naming the key (<c>Gateway:RateLimits:AnonymousPerIp</c>) instead of being clamped.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="sectionName"/> and validates it at start-up with its
    /// data annotations and, when all pass, its <see cref="IValidatableObject.Validate"/> (cross-field and list
    /// rules; a result's member name is the key below the section, e.g. <c>TrustedProxies:2</c>).
    /// A second call for the same section (steps that several features share, such as <c>Messaging</c>) binds nothing
    /// again: one binding, one validator, each failure reported once.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
    {
        var builder = services.AddOptions<TOptions>();
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationInstance is SectionValidator<TOptions> bound && bound.SectionName == sectionName))
        {
            return builder;
        }

        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(sectionName));
        return builder.Bind(configuration.GetSection(sectionName)).ValidateOnStart();
    }

    /// <summary>
    /// One failure as every validator words it: <c>Section:Key = 'value' (environment Section__Key): problem</c>.
    /// The value is shown for numbers, durations and flags only: strings may be secrets.
    /// </summary>
    public static string Failure(string key, object? value, string problem)
    {
        var shown = value is IFormattable formattable and not Enum
            ? $" = '{(formattable is TimeSpan span ? span.ToString("c", CultureInfo.InvariantCulture) : formattable.ToString(null, CultureInfo.InvariantCulture))}'"
            : value is bool flag ? $" = '{flag}'" : "";
        return $"{key}{shown} (environment {key.Replace(":", "__", StringComparison.Ordinal)}): {problem}";
    }

    private sealed class SectionValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public string SectionName => sectionName;

        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            if (name is not null && name != Options.DefaultName)
            {
                return ValidateOptionsResult.Skip;
            }

            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Success;
            }

            return ValidateOptionsResult.Fail(results.Select(result => Describe(options, result)));
        }

        private string Describe(TOptions options, ValidationResult result)
        {
            var member = result.MemberNames.FirstOrDefault();
            var key = string.IsNullOrEmpty(member) ? sectionName : $"{sectionName}:{member}";
            var value = member is null || member.Contains(':', StringComparison.Ordinal)
                ? null
                : typeof(TOptions).GetProperty(member)?.GetValue(options);
            return Failure(key, value, result.ErrorMessage ?? "is invalid");
        }
    }
}
