namespace ScalableApi.Catalog.Imports;

/// <summary>Configuration section <c>Catalog:Import</c>: <c>POST /api/products/import</c> and its job.</summary>
public sealed class ImportOptions
{
    public const string SectionName = "Catalog:Import";

    /// <summary>Largest import body (413 beyond); the gateway's import route allows the same.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Longest NDJSON line; a longer one rejects the whole upload (400).</summary>
    [Range(256, 16 * 1024 * 1024)]
    public int MaxLineBytes { get; set; } = 64 * 1024;

    /// <summary>Size of one stored chunk of the body (rows of whole lines): the upload's memory, about.</summary>
    [Range(4096, 16 * 1024 * 1024)]
    public int ChunkBytes { get; set; } = 256 * 1024;

    /// <summary>Lines per transaction of the job: rows, checkpoint and progress commit together every this many.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;
}
