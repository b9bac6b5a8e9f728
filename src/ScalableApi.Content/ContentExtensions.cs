using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Content.Authors;
using ScalableApi.Content.Caching;
using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Contracts.Events;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Messaging;

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
        // A deleted user's posts and comments go when the users service's UserDeleted event arrives.
        builder.AddEventHandler<UserDeleted, UserDeletedHandler>();
        return builder;
    }

    public static WebApplication MapContentApi(this WebApplication app)
    {
        app.MapPostsApi();
        app.MapCommentsApi();
        return app;
    }
}
