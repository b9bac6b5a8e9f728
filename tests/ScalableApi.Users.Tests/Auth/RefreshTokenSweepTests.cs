using Dapper;
using ScalableApi.Users.Auth;

namespace ScalableApi.Users.Tests.Auth;

/// <summary>
/// The background sweep of <c>refresh_tokens</c>: expired and revoked rows go, in primary-key ranges of
/// <c>Users:RefreshTokenSweepBatchSize</c>; live tokens keep working, and a spent one stays until it expires, so
/// replaying it still revokes its family.
/// </summary>
public abstract class RefreshTokenSweepTests(UsersFactory factory)
{
    [SkippableFact]
    public async Task Expired_and_revoked_tokens_are_swept_and_live_and_spent_ones_stay()
    {
        var expired = await factory.NewUserAsync();
        var revoked = await factory.NewUserAsync();
        var live = await factory.NewUserAsync();
        var spent = await factory.NewUserAsync();
        var next = await RefreshAsync(spent.RefreshToken);
        Assert.NotNull(next);
        await ExecuteAsync("UPDATE refresh_tokens SET expires_at = 1 WHERE user_id = @Id", expired.Id);
        await ExecuteAsync("UPDATE refresh_tokens SET revoked_at = 1 WHERE user_id = @Id", revoked.Id);
        var before = await CountAsync();

        var swept = await factory.Services.GetRequiredService<RefreshTokenSweeper>().SweepAsync(CancellationToken.None);

        Assert.True(swept >= 2, $"swept {swept}");
        Assert.Equal(before - swept, await CountAsync());
        Assert.Equal(0, await CountAsync("WHERE user_id IN (@Id, @Other)", expired.Id, revoked.Id));
        Assert.Equal(2, await CountAsync("WHERE user_id = @Id", spent.Id));
        Assert.NotNull(await RefreshAsync(live.RefreshToken));

        // The spent token is still recognised: its replay revokes the family, and the pair it was exchanged for dies too.
        Assert.Null(await RefreshAsync(spent.RefreshToken));
        Assert.Null(await RefreshAsync(next!.RefreshToken));
    }

    private async Task<TokenResponse?> RefreshAsync(string refreshToken)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<TokenResponse>() : null;
    }

    private async Task ExecuteAsync(string sql, long id)
    {
        await using var connection = await factory.Services.GetRequiredService<IDatabase>().OpenWriteAsync();
        await connection.ExecuteAsync(sql, new { Id = id });
    }

    private async Task<long> CountAsync(string where = "", long id = 0, long other = 0)
    {
        await using var connection = await factory.Services.GetRequiredService<IDatabase>().OpenWriteAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM refresh_tokens " + where, new { Id = id, Other = other });
    }
}

/// <summary>Its own database, with ranges of 2 ids so a sweep takes several statements.</summary>
public abstract class SweepFactory(DatabaseEngine engine) : UsersFactory(engine)
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings => [new("Users:RefreshTokenSweepBatchSize", "2")];
}

public sealed class SqliteSweepFixture() : SweepFactory(DatabaseEngine.Sqlite);

public sealed class PostgresSweepFixture() : SweepFactory(DatabaseEngine.Postgres);

public sealed class SqliteRefreshTokenSweepTests(SqliteSweepFixture factory) : RefreshTokenSweepTests(factory), IClassFixture<SqliteSweepFixture>;

public sealed class PostgresRefreshTokenSweepTests(PostgresSweepFixture factory) : RefreshTokenSweepTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresSweepFixture>;
