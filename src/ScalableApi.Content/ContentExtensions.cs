using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Platform.Data;

namespace ScalableApi.Content;

/// <summary>Everything the content service registers and maps beyond the platform.</summary>
internal static class ContentExtensions
{
    public static WebApplicationBuilder AddContent(this WebApplicationBuilder builder)
    {
        builder.AddDatabase(typeof(ContentExtensions).Assembly);
        builder.Services.AddSingleton<PostStore>();
        builder.Services.AddSingleton<PostCache>();
        builder.Services.AddSingleton<CommentStore>();
        builder.Services.AddSingleton<CommentCache>();
        return builder;
    }

    public static WebApplication MapContent(this WebApplication app)
    {
        app.MapPostsApi();
        app.MapCommentsApi();
        return app;
    }
}
