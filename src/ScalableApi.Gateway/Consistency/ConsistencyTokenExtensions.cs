using Yarp.ReverseProxy.Transforms.Builder;

namespace ScalableApi.Gateway.Consistency;

/// <summary>Signed-in users' consistency tokens, remembered and forwarded by every gateway through the shared store.</summary>
internal static class ConsistencyTokenExtensions
{
    public static WebApplicationBuilder AddGatewayConsistencyTokens(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ConsistencyTokenOptions>(builder.Configuration, ConsistencyTokenOptions.SectionName);
        // Shared by all gateways, so it needs the shared store; without one a user's next read may reach another gateway.
        if (builder.Configuration.GetRedisConnectionString() is not null)
        {
            builder.Services.AddSingleton<ConsistencyTokenStore>();
            builder.Services.AddSingleton<ITransformProvider, ConsistencyTokenTransforms>();
        }

        return builder;
    }
}
