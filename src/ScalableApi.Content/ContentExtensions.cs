using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Content.Caching;
using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Platform.Data;

namespace ScalableApi.Content;

/// <summary>Everything the content service registers and maps beyond the platform.</summary>
public static class ContentExtensions
{
    public static WebApplicationBuilder AddContent(this WebApplicationBuilder builder)
    {
        builder.AddDatabase(typeof(ContentExtensions).Assembly);
        // Injected rather than DateTime.UtcNow so tests can pin the clock.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PostQueries>();
        builder.Services.AddSingleton<CommentQueries>();
        builder.Services.AddSingleton<ContentCache>();
        return builder;
    }

    public static WebApplication MapContentApi(this WebApplication app)
    {
        app.MapPostsApi();
        app.MapCommentsApi();
        return app;
    }
}
