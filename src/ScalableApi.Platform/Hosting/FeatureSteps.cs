namespace ScalableApi.Platform.Hosting;

/// <summary>
/// The shape of a folder's composition step (its <c>XExtensions.cs</c>, chained by <c>AddPlatform</c> and
/// <c>AddGateway</c>): the folder's options bound once and validated at start-up, then its services; and its
/// middleware in the pipeline only when its options turn it on.
/// </summary>
public static class FeatureSteps
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="sectionName"/> (see
    /// <see cref="ValidatedOptions.AddValidatedOptions{TOptions}"/>), then registers the folder's <paramref name="services"/>.
    /// </summary>
    public static WebApplicationBuilder AddFeature<TOptions>(this WebApplicationBuilder builder, string sectionName, Action<IServiceCollection> services)
        where TOptions : class
    {
        builder.Services.AddValidatedOptions<TOptions>(builder.Configuration, sectionName);
        services(builder.Services);
        return builder;
    }

    /// <summary>Adds <typeparamref name="TMiddleware"/> when <paramref name="enabled"/> holds for the bound <typeparamref name="TOptions"/>.</summary>
    public static WebApplication UseMiddlewareWhen<TOptions, TMiddleware>(this WebApplication app, Func<TOptions, bool> enabled)
        where TOptions : class
    {
        if (enabled(app.Services.GetRequiredService<IOptions<TOptions>>().Value))
        {
            app.UseMiddleware<TMiddleware>();
        }

        return app;
    }
}
