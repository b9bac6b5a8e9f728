using Microsoft.Extensions.Configuration;
using ScalableApi.Platform;
using ScalableApi.Users.Admins;

namespace ScalableApi.Users.Tests.Accounts;

/// <summary>
/// One users replica with the full cache (memory L1, Redis L2, backplane) on a test store; <see cref="StartAsync"/>
/// makes a deployment of replicas sharing one SQLite database and cache name.
/// </summary>
internal sealed class CachedUsers(string redis, string cacheName, CachedUsers? sharing) : UsersFactory(DatabaseEngine.Sqlite)
{
    public string Redis => redis;

    public string CacheName => cacheName;

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings
    {
        get
        {
            yield return new("ConnectionStrings:redis", redis);
            yield return new("Caching:Name", cacheName);
            // The shared redis-server outlives every test: without a prefix of its own, another test's deleted user
            // (same id in its own database) would revoke this deployment's tokens.
            yield return new("Auth:Revocation:KeyPrefix", cacheName + ":");
            yield return new("Messaging:KeyPrefix", cacheName + ":");
            if (sharing is not null)
            {
                yield return new("Database:ConnectionString", sharing.Database.ConnectionString);
            }
        }
    }

    public static Task<Deployment<CachedUsers>> StartAsync(TestRedis store, int count) =>
        CachedReplicas.StartAsync<CachedUsers>(count, "users", (name, sharing) => new CachedUsers(store.ConnectionString, name, sharing));

    /// <summary>The same on a store of <paramref name="storeKind"/> of the deployment's own, stopped with it.</summary>
    public static Task<Deployment<CachedUsers>> StartAsync(RedisStoreKind storeKind, int count) =>
        CachedReplicas.StartOnOwnStoreAsync<CachedUsers>(storeKind, count, "users", (store, name, sharing) => new CachedUsers(store.ConnectionString, name, sharing));

    /// <summary>
    /// <c>create-admin</c> as the AppHost runs it: a separate process's worth of services (built, never started) on
    /// the deployment's database and Redis, next to the running replicas.
    /// </summary>
    public async Task<(int Code, string Output, string Error)> CreateAdminAsync(params string[] args)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = Database.ConnectionString,
            ["Database:Provider"] = "sqlite",
            ["Platform:DataDirectory"] = Path.Combine(Path.GetTempPath(), "scalableapi-tests", Guid.NewGuid().ToString("N")),
            ["ConnectionStrings:redis"] = redis,
            ["Caching:Name"] = cacheName,
            ["Auth:Revocation:KeyPrefix"] = cacheName + ":",
            ["Messaging:KeyPrefix"] = cacheName + ":",
        });
        builder.AddPlatformService<UsersService>();
        await using var app = builder.Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CreateAdminCommand.RunAsync(app.Services, ["create-admin", .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
