using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using ScalableApi.Platform.Observability;

namespace ScalableApi.Content.Tests.Caching;

/// <summary>
/// One content replica with the full cache (memory L1, Redis L2, backplane) on a test store, counting its SQL
/// statements; <see cref="StartAsync"/> makes a deployment of replicas sharing one database and cache name.
/// </summary>
internal sealed class CachedContent(string redis, string cacheName, CachedContent? sharing) : CachedReplica<Program>(redis, cacheName, sharing)
{
    public ContentApi Api => new(this);

    /// <summary>The replica's JSON log lines (instead of stdout).</summary>
    public CapturedLogStream Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton(new LogOutput(Log)));
    }

    public static Task<Deployment<CachedContent>> StartAsync(TestRedis store, int count) =>
        CachedReplicas.StartAsync<CachedContent>(count, "content", (name, sharing) => new CachedContent(store.ConnectionString, name, sharing));

    /// <summary>The same on a store of <paramref name="storeKind"/> of the deployment's own, stopped with it.</summary>
    public static Task<Deployment<CachedContent>> StartAsync(RedisStoreKind storeKind, int count) =>
        CachedReplicas.StartOnOwnStoreAsync<CachedContent>(storeKind, count, "content", (store, name, sharing) => new CachedContent(store.ConnectionString, name, sharing));

    /// <summary>A post written straight to the database, so no cache has seen it.</summary>
    public async Task<long> InsertPostBehindTheCacheAsync(long authorId, string title)
    {
        var database = (IDatabase)Services.GetService(typeof(IDatabase))!;
        await using var connection = await database.OpenWriteAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO posts (author_id, title, body, created_at) VALUES (@AuthorId, @Title, 'body', 0) RETURNING id",
            new { AuthorId = authorId, Title = title });
    }
}
