namespace ScalableApi.Gateway.Aggregation;

/// <summary>The gateway's own endpoints that call several services: the user overview.</summary>
internal static class AggregationExtensions
{
    public static WebApplicationBuilder AddGatewayAggregation(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AggregationOptions>(builder.Configuration, AggregationOptions.SectionName);
        builder.Services.AddHttpClient<UpstreamClient>(UpstreamClient.HttpClientName);
        return builder;
    }

    public static IEndpointRouteBuilder MapGatewayAggregation(this IEndpointRouteBuilder app) => app.MapUserOverviewApi();
}
