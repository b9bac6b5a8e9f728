using Dapper;
using ScalableApi.Platform.Messaging;

namespace ScalableApi.Users.Tests.Events;

/// <summary>The users service with its outbox relay and token revocation on a real store (own key prefix).</summary>
public class EventedUsers(DatabaseEngine engine, RedisStoreKind storeKind) : UsersFactory(engine)
{
    private PrefixedStore? _events;

    private PrefixedStore Events => _events ??= Own(new PrefixedStore(storeKind));

    public string Prefix => Events.Prefix;

    public StackExchange.Redis.IDatabase Redis => Events.Redis;

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings =>
        [.. Events.Settings("users"), new("Messaging:RelayInterval", "00:00:00.020")];
}

public sealed class SqliteGarnetUsers() : EventedUsers(DatabaseEngine.Sqlite, RedisStoreKind.Garnet);

public sealed class PostgresRedisServerUsers() : EventedUsers(DatabaseEngine.Postgres, RedisStoreKind.RedisServer);

/// <summary>DELETE /api/users/{id}: the UserDeleted event exists iff the delete committed, and the token dies at once.</summary>
public abstract class UserDeletedEventTests(EventedUsers factory)
{
    [SkippableFact]
    public async Task Deleting_a_user_puts_one_UserDeleted_on_the_content_queue_and_revokes_their_token_before_the_204()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient(user.AccessToken);

        using var deleted = await client.DeleteAsync(new Uri($"/api/users/{user.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(await factory.Redis.KeyExistsAsync($"{factory.Prefix}revoked:user:{user.Id}"), "marker written before the 204");
        using var write = new HttpRequestMessage(HttpMethod.Patch, $"/api/users/{user.Id}") { Content = JsonContent.Create(new { name = "still here?" }) };
        using var patched = await client.SendAsync(write);
        Assert.Equal(HttpStatusCode.Unauthorized, patched.StatusCode);

        EventEnvelope? envelope = null;
        await Eventually.HoldsAsync(async () => (envelope = await FindAsync(user.Id)) is not null, "UserDeleted relayed");
        Assert.Equal("UserDeleted", envelope!.Type);
        Assert.Equal(user.Id, JsonDocument.Parse(envelope.Payload).RootElement.GetProperty("userId").GetInt64());
        await Eventually.HoldsAsync(async () => await OutboxCountAsync() == 0, "outbox emptied by the relay");
    }

    [SkippableFact]
    public async Task A_delete_that_does_not_happen_publishes_nothing()
    {
        var user = await factory.NewUserAsync();
        var other = await factory.NewUserAsync();
        using var client = factory.CreateClient(user.AccessToken);

        using var forbidden = await client.DeleteAsync(new Uri($"/api/users/{other.Id}", UriKind.Relative));
        using var missing = await factory.CreateClient((await factory.AdminAsync()).AccessToken).DeleteAsync(new Uri("/api/users/987654321", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // A later delete's event is relayed: had the refused ones written anything, it would be there by now too.
        using var self = await client.DeleteAsync(new Uri($"/api/users/{user.Id}", UriKind.Relative));
        await Eventually.HoldsAsync(async () => await FindAsync(user.Id) is not null, "the real delete relayed");
        Assert.Null(await FindAsync(other.Id));
        Assert.Null(await FindAsync(987654321));
        Assert.False(await factory.Redis.KeyExistsAsync($"{factory.Prefix}revoked:user:{other.Id}"));
    }

    [SkippableFact]
    public async Task A_deleted_users_id_is_never_given_to_a_new_user_whose_token_would_then_be_revoked()
    {
        var newest = await factory.NewUserAsync();
        using (var client = factory.CreateClient(newest.AccessToken))
        {
            using var deleted = await client.DeleteAsync(new Uri($"/api/users/{newest.Id}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var next = await factory.NewUserAsync();

        Assert.True(next.Id > newest.Id, $"id {newest.Id} given again");
        using var profile = await factory.CreateClient(next.AccessToken).GetAsync(new Uri("/api/profile", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
    }

    [SkippableFact]
    public async Task The_outbox_backlog_is_on_metrics_as_outbox_pending()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient(user.AccessToken);
        using var _ = await client.DeleteAsync(new Uri($"/api/users/{user.Id}", UriKind.Relative));
        await Eventually.HoldsAsync(async () => await FindAsync(user.Id) is not null, "relayed");

        using var scraper = factory.CreateClient();
        var metrics = (await MetricsPage.ScrapeAsync(scraper)).Text;

        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("outbox_pending ", StringComparison.Ordinal));
    }

    private async Task<EventEnvelope?> FindAsync(long userId)
    {
        foreach (var item in await factory.Redis.ListRangeAsync(factory.Prefix + "events:content"))
        {
            if (EventEnvelope.TryParse(item.ToString()) is { } envelope
                && JsonDocument.Parse(envelope.Payload).RootElement.GetProperty("userId").GetInt64() == userId)
            {
                return envelope;
            }
        }

        return null;
    }

    private async Task<long> OutboxCountAsync()
    {
        await using var connection = await factory.Services.GetRequiredService<ScalableApi.Platform.Data.IDatabase>().OpenWriteAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox");
    }
}

public sealed class SqliteGarnetUserDeletedEventTests(SqliteGarnetUsers factory) : UserDeletedEventTests(factory), IClassFixture<SqliteGarnetUsers>;

public sealed class PostgresRedisServerUserDeletedEventTests(PostgresRedisServerUsers factory)
    : UserDeletedEventTests(CiRequirement.PostgresAndRedisServer(factory)), IClassFixture<PostgresRedisServerUsers>;
