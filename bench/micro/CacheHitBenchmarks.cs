using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace ScalableApi.Bench.Micro;

/// <summary>
/// The catalog's hot read: a product found in the replica's memory (L1). The platform's HybridCache (FusionCache,
/// configured by <c>AddPlatform</c>, with its hit metrics) called exactly as <c>ProductCache.GetAsync</c> calls it
/// (key and tag built per call, state tuple, static factory), beside the cheapest possible lookups: a
/// <see cref="ConcurrentDictionary{TKey,TValue}"/> on the id (the baseline) and a <see cref="MemoryCache"/> on the
/// same string key. Ids rotate over 1,024 cached products so the lookups are not all one hot entry.
/// </summary>
[MemoryDiagnoser]
public class CacheHitBenchmarks
{
    private const int Products = 1024;

    private readonly ConcurrentDictionary<long, CachedProduct> _dictionary = new();
    private readonly MemoryCache _memory = new(new MemoryCacheOptions());
    private HybridCache _hybrid = null!;
    private long _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _hybrid = PlatformHost.Build().GetRequiredService<HybridCache>();
        for (long id = 1; id <= Products; id++)
        {
            var row = SampleProducts.Row(id);
            _dictionary[id] = row;
            _memory.Set(Key(id), row, TimeSpan.FromMinutes(10));
            await _hybrid.GetOrCreateAsync(Key(id), row, static (r, _) => ValueTask.FromResult<CachedProduct?>(r), tags: [Key(id)]);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _memory.Dispose();

    [Benchmark(Baseline = true)]
    public CachedProduct? ConcurrentDictionaryById() => _dictionary.TryGetValue(NextId(), out var row) ? row : null;

    [Benchmark]
    public CachedProduct? MemoryCacheByKey() => _memory.TryGetValue(Key(NextId()), out CachedProduct? row) ? row : null;

    /// <summary>What <c>ProductCache.GetAsync</c> does on an L1 hit.</summary>
    [Benchmark]
    public ValueTask<CachedProduct?> HybridCacheGetOrCreate()
    {
        var id = NextId();
        var key = Key(id);
        return _hybrid.GetOrCreateAsync<long, CachedProduct?>(
            key,
            id,
            static (_, _) => throw new InvalidOperationException("The benchmark measures hits: the factory must not run."),
            tags: [key]);
    }

    /// <summary>The same hit without tags: what the per-call tag array costs.</summary>
    [Benchmark]
    public ValueTask<CachedProduct?> HybridCacheGetOrCreateNoTags() =>
        _hybrid.GetOrCreateAsync<long, CachedProduct?>(
            Key(NextId()),
            0L,
            static (_, _) => throw new InvalidOperationException("The benchmark measures hits: the factory must not run."));

    private static string Key(long id) => string.Create(CultureInfo.InvariantCulture, $"product:{id}");

    private long NextId() => (_next++ % Products) + 1;
}
