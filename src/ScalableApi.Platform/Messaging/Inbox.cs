using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.Json;
using ScalableApi.Platform.Data;

namespace ScalableApi.Platform.Messaging;

/// <summary>What one event type does on delivery: deserialise the payload and call its handler.</summary>
internal sealed record EventRegistration(string Type, Func<IServiceProvider, string, EventContext, CancellationToken, Task> Handle);

/// <summary>Handles a delivery exactly once in effect: the inbox row and the handler's writes share one transaction.</summary>
internal sealed class Inbox(IDatabase database, IServiceProvider services, TimeProvider time)
{
    internal const string InsertSql =
        "INSERT INTO inbox (message_id, type, processed_at) VALUES (@Id, @Type, @Now) ON CONFLICT (message_id) DO NOTHING";

    /// <summary>True when handled now; false when the event id was already in the inbox (a redelivery: nothing done).</summary>
    public async Task<bool> HandleAsync(EventEnvelope envelope, EventRegistration registration, CancellationToken cancellationToken)
    {
        EventContext context;
        await using (var connection = await database.OpenWriteAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                InsertSql, new { envelope.Id, envelope.Type, Now = UnixTime.Now(time) }, transaction, cancellationToken: cancellationToken));
            if (inserted == 0)
            {
                return false;
            }

            context = new EventContext(transaction, envelope.Id);
            await registration.Handle(services, envelope.Payload, context, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var action in context.AfterCommitActions)
        {
            await action(cancellationToken);
        }

        return true;
    }

    public static EventRegistration Registration<TEvent, THandler>()
        where TEvent : class
        where THandler : IEventHandler<TEvent> =>
        new(typeof(TEvent).Name, static async (services, payload, context, cancellationToken) =>
        {
            var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var @event = JsonSerializer.Deserialize<TEvent>(payload, json)
                ?? throw new JsonException($"The {typeof(TEvent).Name} payload is empty.");
            await services.GetRequiredService<THandler>().HandleAsync(@event, context, cancellationToken);
        });
}
