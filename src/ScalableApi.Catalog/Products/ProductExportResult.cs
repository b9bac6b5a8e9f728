using System.Data;
using System.Data.Common;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Net.Http.Headers;
using ScalableApi.Catalog.Common;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// Streams every product straight from a data reader to the response body, as a JSON array or as NDJSON.
/// Only one row and one flush window (<see cref="FlushEveryRows"/> rows of JSON) are alive at a time, so memory
/// does not grow with the row count; the response pipe's back-pressure paces the reader to the client.
/// </summary>
internal sealed class ProductExportResult(bool ndjson) : IResult
{
    public const string NdjsonMediaType = "application/x-ndjson";

    /// <summary>About 300 KB of JSON per flush for typical rows: few syscalls, small buffers.</summary>
    private const int FlushEveryRows = 1000;

    public static ProductExportResult For(HttpRequest request) =>
        new(request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(NdjsonMediaType, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var cancellationToken = httpContext.RequestAborted;
        var database = httpContext.RequestServices.GetRequiredService<IDatabase>();
        var jsonOptions = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        await using var connection = await database.OpenReadAsync(httpContext.ReadConsistency(), cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = ProductStore.ExportSql;
        // The client sets the pace of a large export; Kestrel's minimum data rate and RequestAborted end a stalled one.
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ndjson ? NdjsonMediaType : "application/json; charset=utf-8";
        response.Headers[HeaderNames.Vary] = HeaderNames.Accept;
        PublicCaching.Apply(httpContext);

        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = jsonOptions.Encoder });
        if (!ndjson)
        {
            writer.WriteStartArray();
        }

        var rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            JsonSerializer.Serialize(writer, ReadProduct(reader), jsonOptions);
            if (ndjson)
            {
                // Each line is its own JSON document: commit the bytes, add the newline, start a fresh document.
                writer.Flush();
                WriteNewline(body);
                writer.Reset(body);
            }

            if (++rows % FlushEveryRows == 0)
            {
                writer.Flush();
                await FlushAsync(body, cancellationToken);
            }
        }

        if (!ndjson)
        {
            writer.WriteEndArray();
        }

        writer.Flush();
        await FlushAsync(body, cancellationToken);
    }

    private static Product ReadProduct(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        Money.FromCents(reader.GetInt64(3)),
        reader.GetInt32(4),
        UnixTime.ToDateTime(reader.GetInt64(5)),
        UnixTime.ToDateTime(reader.GetInt64(6)));

    private static void WriteNewline(PipeWriter body)
    {
        body.GetSpan(1)[0] = (byte)'\n';
        body.Advance(1);
    }

    private static async ValueTask FlushAsync(PipeWriter body, CancellationToken cancellationToken)
    {
        var result = await body.FlushAsync(cancellationToken);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException("The client stopped reading the export.", cancellationToken);
        }
    }
}
