using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using ScalableApi.Contracts;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Http;
using ScalableApi.Platform.Security;
using ScalableApi.Platform.Validation;

namespace ScalableApi.Catalog.Products;

/// <summary>The product routes of SPEC §2 "Catalog" (import and jobs come with the job queue).</summary>
public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products").WithTags("Products");

        api.MapGet("/", ListProducts);
        // Tens of megabytes, written as rows are read: streamed, never held back for a Content-Length.
        api.MapGet("/export", ExportProducts).StreamsResponse();
        api.MapGet("/{id:long}", GetProduct);
        api.MapPost("/", CreateProduct)
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .Validate<ProductRequest>();
        api.MapPut("/{id:long}", ReplaceProduct)
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .Validate<ProductRequest>();
        api.MapDelete("/{id:long}", DeleteProduct)
            .RequireAuthorization(AuthorizationPolicies.Admin);

        return app;
    }

    internal static async Task<Results<Ok<Page<Product>>, ValidationProblem>> ListProducts(
        [AsParameters] ProductListQuery query, ProductStore store, ProductCache cache, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (query.TryParse(out var filter) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "One or more query parameters are not valid.");
        }

        // Signed-in callers (every writer is one) read the primary, past the cache: read-your-writes.
        var (rows, hasMore) = ReadSource.NeedsPrimary(httpContext)
            ? await store.ListAsync(filter, primary: true, cancellationToken)
            : await cache.ListAsync(filter, cancellationToken);
        var next = hasMore ? KeysetCursor.Encode(rows[^1].Id) : null;
        PublicCaching.Apply(httpContext);
        return TypedResults.Ok(new Page<Product>([.. rows.Select(r => r.ToProduct())], next));
    }

    internal static async Task<Results<Ok<Product>, StatusCodeHttpResult, NotFound>> GetProduct(
        long id, ProductStore store, ProductCache cache, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var (request, response) = (httpContext.Request, httpContext.Response);
        var row = ReadSource.NeedsPrimary(httpContext)
            ? await store.GetAsync(id, primary: true, cancellationToken)
            : await cache.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        // The ETag comes from the cached row, so a matching If-None-Match is a 304 without a database query.
        var etag = row.ETag;
        response.Headers[HeaderNames.ETag] = etag;
        PublicCaching.Apply(httpContext);
        if (ProductETag.NoneMatchHits(request.Headers.IfNoneMatch, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(row.ToProduct());
    }

    internal static ProductExportResult ExportProducts(HttpRequest request) => ProductExportResult.For(request);

    internal static async Task<Created<Product>> CreateProduct(
        ProductRequest body, ProductStore store, ProductCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        var row = await store.CreateAsync(body, cancellationToken);
        await cache.WrittenAsync(row, cancellationToken);
        response.Headers[HeaderNames.ETag] = row.ETag;
        return TypedResults.Created(Location(row.Id), row.ToProduct());
    }

    internal static async Task<Results<Ok<Product>, NotFound, ProblemHttpResult>> ReplaceProduct(
        long id, ProductRequest body, ProductStore store, ProductCache cache, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var ifMatch = request.Headers.IfMatch.Count == 0 ? null : ProductETag.ParseIfMatch(request.Headers.IfMatch, id);
        var outcome = await store.ReplaceAsync(id, body, ifMatch, cancellationToken);
        if (outcome.Row is { } row)
        {
            // Before the response: whoever reads next, on any replica, sees the new row.
            await cache.WrittenAsync(row, cancellationToken);
            response.Headers[HeaderNames.ETag] = row.ETag;
            return TypedResults.Ok(row.ToProduct());
        }

        return outcome.PreconditionFailed ? PreconditionFailed() : TypedResults.NotFound();
    }

    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteProduct(
        long id, ProductStore store, ProductCache cache, HttpRequest request, CancellationToken cancellationToken)
    {
        var ifMatch = request.Headers.IfMatch.Count == 0 ? null : ProductETag.ParseIfMatch(request.Headers.IfMatch, id);
        var outcome = await store.DeleteAsync(id, ifMatch, cancellationToken);
        if (outcome == DeleteOutcome.Deleted)
        {
            await cache.DeletedAsync(id, cancellationToken);
        }

        return outcome switch
        {
            DeleteOutcome.Deleted => TypedResults.NoContent(),
            DeleteOutcome.PreconditionFailed => PreconditionFailed(),
            _ => TypedResults.NotFound(),
        };
    }

    private static ProblemHttpResult PreconditionFailed() => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: "The product has changed since you read it.",
        detail: "If-Match does not match the current ETag: GET the product again and reapply your change.");

    private static string Location(long id) => string.Create(CultureInfo.InvariantCulture, $"/api/products/{id}");
}
