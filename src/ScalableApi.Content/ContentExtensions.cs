using ScalableApi.Platform.Data;

namespace ScalableApi.Content;

/// <summary>Everything the content service registers and maps beyond the platform.</summary>
public static class ContentExtensions
{
    public static WebApplicationBuilder AddContent(this WebApplicationBuilder builder)
    {
        builder.AddDatabase(typeof(ContentExtensions).Assembly);
        return builder;
    }

    public static WebApplication MapContentApi(this WebApplication app)
    {
        return app;
    }
}
