using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using ScalableApi.Platform.Jobs;

namespace ScalableApi.Catalog.Imports;

/// <summary>
/// <c>POST /api/products/import</c> (SPEC §2): the NDJSON body streams into the catalog database as a draft job's
/// chunks; once all of it is stored the job is queued and the answer is 202 with its Location. A body that is not
/// NDJSON (a line that is not one JSON object, a line too long, nothing at all) is refused whole with 400 and leaves
/// nothing behind; a line that is JSON but not a valid product fails alone when the job runs.
/// </summary>
public static class ImportsApi
{
    private static readonly string[] NdjsonTypes = ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"];

    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ImportOptions>>().Value;
        app.MapPost("/api/products/import", ImportProducts)
            .WithTags("Products")
            .WithName("ImportProducts").WithSummary("Import products from an NDJSON body, processed by the job queue (admin).")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .PurgesEdgeKeys(_ => CatalogEdgeKeys.Jobs)
            .Accepts<string>("application/x-ndjson")
            // Its own body limit (the platform's RequestBodyLimitMiddleware honours it), not the 1 MiB of JSON writes.
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxBodyBytes));
        return app;
    }

    internal static async Task<Results<Accepted<Job>, ValidationProblem, ProblemHttpResult>> ImportProducts(
        HttpRequest request, JobQueue queue, IOptions<ImportOptions> options, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } contentType
            && (!MediaTypeHeaderValue.TryParse(contentType, out var media)
                || !NdjsonTypes.Contains(media.MediaType.Value, StringComparer.OrdinalIgnoreCase)))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The import body must be NDJSON.",
                detail: "Send Content-Type: application/x-ndjson, one JSON product per line.");
        }

        var settings = options.Value;
        var draft = await queue.CreateDraftAsync(ProductImportHandler.JobType, cancellationToken: cancellationToken);
        JobInputResult stored;
        try
        {
            stored = await JobInputWriter.WriteAsync(
                queue, draft, request.Body, settings.MaxLineBytes, settings.ChunkBytes, JobInputWriter.JsonObject, cancellationToken);
        }
        catch
        {
            // Too large (413), the client hung up, the database failed: nothing of this upload is kept or queued.
            await queue.DeleteDraftAsync(draft, CancellationToken.None);
            throw;
        }

        if (!stored.Ok || stored.Lines == 0)
        {
            await queue.DeleteDraftAsync(draft, CancellationToken.None);
            var message = stored.Error ?? "the body has no lines; send one JSON product per line.";
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = [message] },
                title: "The import body is not usable NDJSON; nothing was queued.");
        }

        var job = await queue.PublishAsync(draft, stored.Lines, CancellationToken.None);
        return TypedResults.Accepted(JobsApi.Location(job.Id), job);
    }
}
