using ScalableApi.Content.Authors;
using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Contracts.Events;
using ScalableApi.Platform.Messaging;

namespace ScalableApi.Content;

/// <summary>The content service: posts and their comments, which go with their author's account.</summary>
internal sealed class ContentService : IPlatformService
{
    public static string Name => "content";

    public static void AddServices(WebApplicationBuilder builder) => builder
        .AddFeature<PostStore, PostCache>()
        .AddFeature<CommentStore, CommentCache>()
        // A deleted user's posts and comments go when the users service's UserDeleted event arrives.
        .AddEventHandler<UserDeleted, UserDeletedHandler>();

    public static void MapEndpoints(WebApplication app) => app
        .MapPostsApi()
        .MapCommentsApi();
}
