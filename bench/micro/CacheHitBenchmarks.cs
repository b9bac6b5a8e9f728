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
/// (key built per call, state, static factory, no tag); beside it the same call with a tag per entry, as the
/// catalog and users made it until 2026-11-28 (FusionCache then checks the tag's expiry on every hit, a second
/// cache operation), and bare FusionCache (no logger, no metrics, no adapter). The baseline is a
/// <see cref="MemoryCache"/> lookup on the same string key (the same key formatting); a
/// <see cref="ConcurrentDictionary{TKey,TValue}"/> on the id shows the floor. Ids rotate over 1,024 cached products.
/// </summary>
[MemoryDiagnoser]
public class CacheHitBenchmarks
{
    private const int Products = 1024;

    private readonly ConcurrentDictionary<long, CachedProduct> _dictionary = new();
    private readonly MemoryCache _memory = new(new MemoryCacheOptions());
    private HybridCache _platform = null!;
    private FusionCache _bare = null!;
    private long _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _platform = PlatformHost.Build().GetRequiredService<HybridCache>();
        _bare = new FusionCache(new FusionCacheOptions { DefaultEntryOptions = new FusionCacheEntryOptions { Duration = TimeSpan.FromMinutes(10) } });
        for (long id = 1; id <= Products; id++)
        {
            var row = SampleProducts.Row(id);
            _dictionary[id] = row;
            _memory.Set(Key(id), row, TimeSpan.FromMinutes(10));
            await _platform.GetOrCreateAsync(Key(id), row, static (r, _) => ValueTask.FromResult<CachedProduct?>(r));
            await _platform.GetOrCreateAsync(TaggedKey(id), row, static (r, _) => ValueTask.FromResult<CachedProduct?>(r), tags: [TaggedKey(id)]);
            await _bare.SetAsync(Key(id), row);
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

    /// <summary>What <c>ProductCache.GetAsync</c> costs on an L1 hit.</summary>
    [Benchmark]
    public ValueTask<CachedProduct?> HybridCacheAsConfigured() =>
        _platform.GetOrCreateAsync<long, CachedProduct?>(Key(NextId()), 0L, static (_, _) => throw MissInBenchmark());

    /// <summary>The same entry stored with a tag (its own key), as until 2026-11-28: the per-hit tag check.</summary>
    [Benchmark]
    public ValueTask<CachedProduct?> HybridCacheWithTag()
    {
        var key = TaggedKey(NextId());
        return _platform.GetOrCreateAsync<long, CachedProduct?>(key, 0L, static (_, _) => throw MissInBenchmark(), tags: [key]);
    }

    /// <summary>The library's own floor: FusionCache without logger, metrics listeners, HybridCache adapter or tags.</summary>
    [Benchmark]
    public ValueTask<CachedProduct?> FusionCacheBare() =>
        _bare.GetOrSetAsync<CachedProduct?>(Key(NextId()), static (_, _) => throw MissInBenchmark());

    private static InvalidOperationException MissInBenchmark() => new("The benchmark measures hits: the factory must not run.");

    private static string Key(long id) => string.Create(CultureInfo.InvariantCulture, $"product:{id}");

    private static string TaggedKey(long id) => string.Create(CultureInfo.InvariantCulture, $"tagged:{id}");

    private long NextId() => (_next++ % Products) + 1;
}
