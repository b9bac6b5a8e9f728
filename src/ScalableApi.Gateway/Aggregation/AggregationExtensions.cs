namespace ScalableApi.Gateway.Aggregation;

/// <summary>The gateway's own endpoints that call several services: the user overview.</summary>
internal static class AggregationExtensions
{
    public static WebApplicationBuilder AddGatewayAggregation(this WebApplicationBuilder builder) =>
        builder.AddFeature<AggregationOptions>(AggregationOptions.SectionName, static services => services.AddHttpClient<UpstreamClient>(UpstreamClient.HttpClientName));

    public static IEndpointRouteBuilder MapGatewayAggregation(this IEndpointRouteBuilder app) => app.MapUserOverviewApi();
}
