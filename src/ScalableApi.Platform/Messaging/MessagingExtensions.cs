using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// A transactional outbox in the service's database (platform migration 9101) and its relay to the store
    /// (needs <c>ConnectionStrings:redis</c>). <paramref name="subscribers"/> are the defaults of
    /// <c>Messaging:Subscribers</c>: which services' queues receive each event type.
    /// </summary>
    public static WebApplicationBuilder AddOutbox(this WebApplicationBuilder builder, IReadOnlyDictionary<string, string[]> subscribers)
    {
        AddMessagingOptions(builder).PostConfigure(o =>
        {
            foreach (var (type, services) in subscribers)
            {
                o.Subscribers.TryAdd(type, services);
            }
        });
        builder.Services.AddSingleton(new MigrationSet(typeof(MessagingExtensions).Assembly, "outbox-migrations"));
        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddSingleton<Outbox>();
        if (builder.Configuration.GetRedisConnectionString() is not null)
        {
            builder.Services.AddHostedService<OutboxRelay>();
        }

        return builder;
    }

    /// <summary>
    /// Consumes <typeparamref name="TEvent"/> from this service's queue with <typeparamref name="THandler"/>, through an
    /// inbox in the service's database (platform migration 9201). Needs <c>ConnectionStrings:redis</c>.
    /// </summary>
    public static WebApplicationBuilder AddEventHandler<TEvent, THandler>(this WebApplicationBuilder builder)
        where TEvent : class
        where THandler : class, IEventHandler<TEvent>
    {
        AddMessagingOptions(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(Inbox)))
        {
            builder.Services.AddSingleton(new MigrationSet(typeof(MessagingExtensions).Assembly, "inbox-migrations"));
            builder.Services.AddSingleton<Inbox>();
            if (builder.Configuration.GetRedisConnectionString() is not null)
            {
                builder.Services.AddHostedService<EventConsumer>();
            }
        }

        builder.Services.TryAddSingleton<THandler>();
        builder.Services.AddSingleton(Inbox.Registration<TEvent, THandler>());
        return builder;
    }

    /// <summary>The outbox and every event handler share the section: bound and validated once however many call it.</summary>
    private static OptionsBuilder<MessagingOptions> AddMessagingOptions(WebApplicationBuilder builder) =>
        builder.Services.AddValidatedOptions<MessagingOptions>(builder.Configuration, MessagingOptions.SectionName);
}
