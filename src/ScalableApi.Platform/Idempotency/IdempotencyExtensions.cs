using ScalableApi.Platform.Data;
using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Idempotency;

public static class IdempotencyExtensions
{
    /// <summary>
    /// Keyed POSTs (SPEC §2) and delete tombstones in the service's database (platform migration 9301), the sweep of
    /// expired records, and the middleware (<see cref="UseIdempotency"/>, called by <c>UsePlatform</c>): a service
    /// that calls this answers a key on any route not marked <see cref="Idempotent{TBuilder}"/> with 400.
    /// </summary>
    public static WebApplicationBuilder AddIdempotency(this WebApplicationBuilder builder) =>
        builder.AddFeature<IdempotencyOptions>(IdempotencyOptions.SectionName, static services => services
            .AddSingleton(new MigrationSet(typeof(IdempotencyExtensions).Assembly, "idempotency-migrations"))
            .AddSingleton<IdempotencyStore>()
            .AddSingleton<DeleteTombstones>()
            .AddSingleton<InFlightMarkers>()
            .AddHostedService<IdempotencySweeper>());

    /// <summary>After authentication (records are per caller); only where <see cref="AddIdempotency"/> ran.</summary>
    public static WebApplication UseIdempotency(this WebApplication app)
    {
        if (app.Services.GetService<IdempotencyStore>() is not null)
        {
            app.UseMiddleware<IdempotencyMiddleware>();
        }

        return app;
    }

    /// <summary>
    /// This POST takes <c>Idempotency-Key</c>: its handler must store its answer with
    /// <see cref="IdempotentRequest.RecordAsync{T}"/> in the transaction of its effect.
    /// </summary>
    public static TBuilder Idempotent<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(IdempotentEndpointMetadata.Instance);
}

/// <summary>Marks an endpoint whose handler records keyed POSTs (see <see cref="IdempotencyExtensions.Idempotent{TBuilder}"/>).</summary>
public sealed class IdempotentEndpointMetadata
{
    public static readonly IdempotentEndpointMetadata Instance = new();

    private IdempotentEndpointMetadata()
    {
    }
}
