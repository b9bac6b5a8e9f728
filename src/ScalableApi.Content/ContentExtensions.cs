using ScalableApi.Content.Authors;
using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Contracts.Events;
using ScalableApi.Platform.Messaging;

namespace ScalableApi.Content;

/// <summary>Everything the content service registers and maps beyond the platform.</summary>
internal static class ContentExtensions
{
    public static WebApplicationBuilder AddContent(this WebApplicationBuilder builder)
    {
        builder.AddDatabase(typeof(ContentExtensions).Assembly);
        builder.AddIdempotency();
        builder.Services.AddSingleton<PostStore>();
        builder.Services.AddSingleton<PostCache>();
        builder.Services.AddSingleton<CommentStore>();
        builder.Services.AddSingleton<CommentCache>();
        // A deleted user's posts and comments go when the users service's UserDeleted event arrives.
        builder.AddEventHandler<UserDeleted, UserDeletedHandler>();
        return builder;
    }

    public static WebApplication MapContent(this WebApplication app)
    {
        app.MapPostsApi();
        app.MapCommentsApi();
        return app;
    }
}
