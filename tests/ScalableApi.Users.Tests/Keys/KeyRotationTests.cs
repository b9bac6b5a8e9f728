using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScalableApi.Users.Keys;

namespace ScalableApi.Users.Tests.Keys;

/// <summary>
/// A service started on a key folder seeded as if it had run for months: <c>Old</c> (retired 40 days ago) and
/// <c>Due</c> (active for 40 days, past the 30-day rotation). Start-up rotates a new key in; <c>Due</c> keeps
/// verifying through the retirement window, <c>Old</c> does not.
/// </summary>
public abstract class SeededKeysFactory : UsersFactory
{
    protected SeededKeysFactory(DatabaseEngine engine)
        : base(engine)
    {
        Directory.CreateDirectory(KeysDirectory);
        var now = DateTimeOffset.UtcNow;
        Old = SigningKeyFile.Generate(now.AddDays(-100).ToUnixTimeMilliseconds());
        Due = SigningKeyFile.Generate(now.AddDays(-40).ToUnixTimeMilliseconds());
        Old.Save(KeysDirectory);
        Due.Save(KeysDirectory);
    }

    public string KeysDirectory { get; } = Path.Combine(Path.GetTempPath(), "scalableapi-tests", "keys-" + Guid.NewGuid().ToString("N"));

    internal SigningKeyFile Old { get; }

    internal SigningKeyFile Due { get; }

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings => [new("Users:KeysDirectory", KeysDirectory)];
}

public sealed class SqliteSeededKeysFixture() : SeededKeysFactory(DatabaseEngine.Sqlite);

public sealed class PostgresSeededKeysFixture() : SeededKeysFactory(DatabaseEngine.Postgres);

public abstract class KeyRotationTests(SeededKeysFactory factory)
{
    [SkippableFact]
    public async Task Start_up_publishes_the_due_keys_successor_ahead_and_deletes_the_expired_key()
    {
        var user = await factory.NewUserAsync();

        // The due key keeps signing until its successor has been published for the lead (Users:SigningKeyPublishAhead).
        Assert.Equal(factory.Due.Kid, new JsonWebToken(user.AccessToken).Kid);
        var files = Directory.GetFiles(factory.KeysDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(2, files.Count);
        Assert.Contains(factory.Due.Kid, files);
        Assert.DoesNotContain(factory.Old.Kid, files);
    }

    [SkippableFact]
    public async Task A_token_from_the_key_due_for_rotation_still_validates()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient(SignWith(factory.Due, user.Id));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/profile")).StatusCode);
    }

    [SkippableFact]
    public async Task A_token_from_a_key_retired_long_ago_is_401()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient(SignWith(factory.Old, user.Id));
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/profile"), HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task Jwks_lists_the_active_and_the_next_key_but_not_the_expired_one()
    {
        await factory.NewUserAsync();
        using var client = factory.CreateClient();
        var kids = (await client.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json"))
            .GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        var next = Directory.GetFiles(factory.KeysDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Single(k => k != factory.Due.Kid);

        Assert.Equal([factory.Due.Kid, next], kids);
    }

    private static string SignWith(SigningKeyFile file, long userId)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "scalableapi",
            Audience = "scalableapi",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(30),
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString(CultureInfo.InvariantCulture)), new Claim("role", "user")]),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(file.ToECDsa()) { KeyId = file.Kid }, SecurityAlgorithms.EcdsaSha256),
        });
    }
}

public sealed class SqliteKeyRotationTests(SqliteSeededKeysFixture factory) : KeyRotationTests(factory), IClassFixture<SqliteSeededKeysFixture>;

public sealed class PostgresKeyRotationTests(PostgresSeededKeysFixture factory) : KeyRotationTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresSeededKeysFixture>;
