using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace ScalableApi.Bench.Micro;

/// <summary>
/// The catalog's hot read: a product found in the replica's memory (L1). The platform's HybridCache (FusionCache,
/// configured by <c>AddPlatform</c>, with its hit metrics) called exactly as <c>ProductCache.GetAsync</c> calls it
/// (key and tag built per call, state, static factory): as the platform is configured today, where FusionCache
/// writes two Information log lines per operation (four per tagged hit: the tag check is an operation too) to
/// stdout, and with those logs raised to Warning by configuration; then without tags, and bare FusionCache (no
/// logger, no metrics, no tags). The baseline is a <see cref="MemoryCache"/> lookup on the same string key (the
/// same key formatting); a <see cref="ConcurrentDictionary{TKey,TValue}"/> on the id shows the floor. Ids rotate
/// over 1,024 cached products.
/// </summary>
[MemoryDiagnoser]
public class CacheHitBenchmarks
{
    private const int Products = 1024;

    private readonly ConcurrentDictionary<long, CachedProduct> _dictionary = new();
    private readonly MemoryCache _memory = new(new MemoryCacheOptions());
    private HybridCache _asConfigured = null!;
    private HybridCache _quiet = null!;
    private FusionCache _bare = null!;
    private long _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _asConfigured = PlatformHost.Build().GetRequiredService<HybridCache>();
        _quiet = PlatformHost.Build(quietFusionLogs: true).GetRequiredService<HybridCache>();
        _bare = new FusionCache(new FusionCacheOptions { DefaultEntryOptions = new FusionCacheEntryOptions { Duration = TimeSpan.FromMinutes(10) } });
        for (long id = 1; id <= Products; id++)
        {
            var row = SampleProducts.Row(id);
            _dictionary[id] = row;
            _memory.Set(Key(id), row, TimeSpan.FromMinutes(10));
            foreach (var cache in new[] { _asConfigured, _quiet })
            {
                await cache.GetOrCreateAsync(Key(id), row, static (r, _) => ValueTask.FromResult<CachedProduct?>(r), tags: [Key(id)]);
                await cache.GetOrCreateAsync(UntaggedKey(id), row, static (r, _) => ValueTask.FromResult<CachedProduct?>(r));
            }

            await _bare.SetAsync(UntaggedKey(id), row);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _memory.Dispose();
        _bare.Dispose();
    }

    [Benchmark]
    public CachedProduct? ConcurrentDictionaryById() => _dictionary.TryGetValue(NextId(), out var row) ? row : null;

    /// <summary>The baseline: a plain memory lookup doing the same key formatting as the cache calls below.</summary>
    [Benchmark(Baseline = true)]
    public CachedProduct? MemoryCacheByKey() => _memory.TryGetValue(Key(NextId()), out CachedProduct? row) ? row : null;

    /// <summary>What <c>ProductCache.GetAsync</c> costs on an L1 hit in production today.</summary>
    [Benchmark]
    public ValueTask<CachedProduct?> HybridCacheAsConfigured() => Tagged(_asConfigured);

    /// <summary>The same with <c>Serilog__MinimumLevel__Override__ZiggyCreatures.Caching.Fusion=Warning</c>.</summary>
    [Benchmark]
    public ValueTask<CachedProduct?> HybridCacheFusionLogsOff() => Tagged(_quiet);

    /// <summary>Logs off, entry stored without tags: what FusionCache's per-hit tag check costs.</summary>
    [Benchmark]
    public ValueTask<CachedProduct?> HybridCacheFusionLogsOffNoTags() =>
        _quiet.GetOrCreateAsync<long, CachedProduct?>(UntaggedKey(NextId()), 0L, static (_, _) => throw MissInBenchmark());

    /// <summary>The library's own floor: FusionCache without logger, metrics listeners, HybridCache adapter or tags.</summary>
    [Benchmark]
    public ValueTask<CachedProduct?> FusionCacheBare() =>
        _bare.GetOrSetAsync<CachedProduct?>(UntaggedKey(NextId()), static (_, _) => throw MissInBenchmark());

    private ValueTask<CachedProduct?> Tagged(HybridCache cache)
    {
        var key = Key(NextId());
        return cache.GetOrCreateAsync<long, CachedProduct?>(key, 0L, static (_, _) => throw MissInBenchmark(), tags: [key]);
    }

    private static InvalidOperationException MissInBenchmark() => new("The benchmark measures hits: the factory must not run.");

    private static string Key(long id) => string.Create(CultureInfo.InvariantCulture, $"product:{id}");

    private static string UntaggedKey(long id) => string.Create(CultureInfo.InvariantCulture, $"plain:{id}");

    private long NextId() => (_next++ % Products) + 1;
}
