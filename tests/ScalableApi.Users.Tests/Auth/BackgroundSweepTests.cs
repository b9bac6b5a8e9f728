using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace ScalableApi.Users.Tests.Auth;

/// <summary>
/// Issue 15, acceptance 6: expired refresh tokens are swept in the background, every
/// <c>Users:MaintenanceInterval</c>, with nobody calling anything (the sweep itself, batches and which rows stay:
/// <see cref="RefreshTokenSweepTests"/>). On a fake clock: the running service's own maintenance loop does it.
/// </summary>
public abstract class BackgroundSweepTests(BackgroundSweepFactory factory)
{
    [SkippableFact]
    public async Task Once_a_refresh_token_has_expired_the_next_maintenance_round_deletes_it()
    {
        var user = await factory.NewUserAsync();
        Assert.Equal(1, await TokensOfAsync(user.Id));

        // Past the token's lifetime, and so past the next maintenance tick: nobody signs in or refreshes.
        factory.Time.Advance(BackgroundSweepFactory.RefreshTokenLifetime + TimeSpan.FromSeconds(1));

        // The round runs on the service's own loop: wait for it (bounded), the clock stays where it is.
        for (var i = 0; i < 200 && await TokensOfAsync(user.Id) > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, await TokensOfAsync(user.Id));
    }

    private async Task<long> TokensOfAsync(long userId)
    {
        await using var connection = await factory.Services.GetRequiredService<IDatabase>().OpenWriteAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM refresh_tokens WHERE user_id = @Id", new { Id = userId });
    }
}

/// <summary>The users service on a fake clock, with refresh tokens of ten minutes and maintenance every five.</summary>
public abstract class BackgroundSweepFactory(DatabaseEngine engine) : UsersFactory(engine)
{
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromMinutes(10);

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings =>
    [
        new("Users:RefreshTokenLifetime", RefreshTokenLifetime.ToString()),
        new("Users:MaintenanceInterval", "00:05:00"),
    ];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Time);
}

public sealed class SqliteBackgroundSweepFixture() : BackgroundSweepFactory(DatabaseEngine.Sqlite);

public sealed class PostgresBackgroundSweepFixture() : BackgroundSweepFactory(DatabaseEngine.Postgres);

public sealed class SqliteBackgroundSweepTests(SqliteBackgroundSweepFixture factory) : BackgroundSweepTests(factory), IClassFixture<SqliteBackgroundSweepFixture>;

public sealed class PostgresBackgroundSweepTests : BackgroundSweepTests, IClassFixture<PostgresBackgroundSweepFixture>
{
    public PostgresBackgroundSweepTests(PostgresBackgroundSweepFixture factory)
        : base(factory) => TestDatabase.SkipUnlessPostgres();
}
