using System.Net;
using System.Net.Http.Json;
using ScalableApi.Platform.Idempotency;

namespace ScalableApi.Users.Tests.Idempotency;

/// <summary>
/// Idempotency records are per caller, and register, login and refresh have none: a key there is 400 and the request
/// does not run (a stored login answer would hand one caller's tokens to whoever repeats the key).
/// </summary>
public abstract class AnonymousKeyTests(UsersFactory factory)
{
    [SkippableFact]
    public async Task A_keyed_register_is_400_and_creates_no_user()
    {
        using var client = factory.CreateClient();
        var email = UsersFactory.NewEmail();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/register")
        {
            Content = JsonContent.Create(new { email, name = "Keyed", password = UsersFactory.Password }),
        };
        request.Headers.Add(IdempotencyHeaders.Key, Guid.NewGuid().ToString());

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        using var unkeyed = await client.PostAsJsonAsync("/api/auth/register", new { email, name = "Unkeyed", password = UsersFactory.Password });
        Assert.Equal(HttpStatusCode.Created, unkeyed.StatusCode);
    }

    [SkippableFact]
    public async Task A_keyed_login_is_400()
    {
        var session = await factory.NewUserAsync();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { email = session.Email, password = UsersFactory.Password }),
        };
        request.Headers.Add(IdempotencyHeaders.Key, Guid.NewGuid().ToString());

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }
}

public sealed class SqliteAnonymousKeyTests(SqliteFixture factory) : AnonymousKeyTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresAnonymousKeyTests(PostgresFixture factory) : AnonymousKeyTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
