using Dapper;

namespace ScalableApi.Users.Tests.Auth;

/// <summary>The unique index, not a check-then-insert, decides who gets an address.</summary>
public abstract class ConcurrentRegistrationTests(UsersFactory factory)
{
    [SkippableFact]
    public async Task Twenty_concurrent_registrations_of_one_email_give_one_201_and_nineteen_409()
    {
        var email = UsersFactory.NewEmail();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            using var client = factory.CreateClient();
            await start.Task;
            // Spellings that normalise to the same address race too.
            var spelled = i % 2 == 0 ? email : email.Replace("@example.com", "@EXAMPLE.com", StringComparison.Ordinal);
            return (await client.PostAsJsonAsync("/api/auth/register", new { email = spelled, name = $"Racer {i}", password = UsersFactory.Password })).StatusCode;
        })).ToList();
        start.SetResult();
        var statuses = await Task.WhenAll(attempts);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
        await using var connection = await factory.Services.GetRequiredService<IDatabase>().OpenWriteAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE email = @email", new { email }));
    }
}

public sealed class SqliteConcurrentRegistrationTests(SqliteFixture factory) : ConcurrentRegistrationTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresConcurrentRegistrationTests(PostgresFixture factory) : ConcurrentRegistrationTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
