using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScalableApi.Catalog.Products;
using ScalableApi.Contracts;

namespace ScalableApi.Bench.Micro;

/// <summary>
/// Writing a product (GET /api/products/{id}) and a page of 20 (GET /api/products) as the services do: System.Text.Json
/// with the options <c>AddPlatform</c> configures for minimal APIs (web defaults, relaxed escaping, strict numbers)
/// and reflection metadata, since the services declare no source-generated context for their DTOs. Beside each,
/// the alternative: a source-generated context for the same types and options. Output goes to a reused buffer
/// through a <see cref="Utf8JsonWriter"/>, as a response body writer would receive it.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class JsonSerializationBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private JsonSerializerOptions _services = null!;
    private ProductJsonContext _generated = null!;
    private Utf8JsonWriter _writer = null!;
    private Product _product = null!;
    private Page<Product> _page = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = PlatformHost.Build().GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        _generated = new ProductJsonContext(new JsonSerializerOptions(_services) { TypeInfoResolver = null });
        _writer = new Utf8JsonWriter(_buffer);
        _product = SampleProducts.Product(4242);
        _page = SampleProducts.Page(10000);
        if (!JsonSerializer.SerializeToUtf8Bytes(_product, _services).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(_product, _generated.Product))
            || !JsonSerializer.SerializeToUtf8Bytes(_page, _services).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(_page, _generated.PageProduct)))
        {
            throw new InvalidOperationException("Reflection and source-generated output differ: not the same work.");
        }
    }

    [BenchmarkCategory("Product"), Benchmark(Baseline = true)]
    public int Product()
    {
        Reset();
        JsonSerializer.Serialize(_writer, _product, _services);
        return Flush();
    }

    [BenchmarkCategory("Product"), Benchmark]
    public int ProductSourceGenerated()
    {
        Reset();
        JsonSerializer.Serialize(_writer, _product, _generated.Product);
        return Flush();
    }

    [BenchmarkCategory("Page of 20"), Benchmark(Baseline = true)]
    public int Page()
    {
        Reset();
        JsonSerializer.Serialize(_writer, _page, _services);
        return Flush();
    }

    [BenchmarkCategory("Page of 20"), Benchmark]
    public int PageSourceGenerated()
    {
        Reset();
        JsonSerializer.Serialize(_writer, _page, _generated.PageProduct);
        return Flush();
    }

    private void Reset()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private int Flush()
    {
        _writer.Flush();
        return _buffer.WrittenCount;
    }
}

/// <summary>The alternative the services do not use (yet): compile-time metadata and a fast-path writer.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(Product))]
[JsonSerializable(typeof(Page<Product>), TypeInfoPropertyName = "PageProduct")]
internal sealed partial class ProductJsonContext : JsonSerializerContext;
