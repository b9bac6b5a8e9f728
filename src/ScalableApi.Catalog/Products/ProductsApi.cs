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
        api.MapGet("/export", ExportProducts);
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
        [AsParameters] ProductListQuery query, ProductStore store, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (query.TryParse(out var filter) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "One or more query parameters are not valid.");
        }

        var (rows, hasMore) = await store.ListAsync(filter, ReadSource.NeedsPrimary(httpContext), cancellationToken);
        var next = hasMore ? KeysetCursor.Encode(rows[^1].Id) : null;
        PublicCaching.Apply(httpContext.Response);
        return TypedResults.Ok(new Page<Product>([.. rows.Select(r => r.ToProduct())], next));
    }

    internal static async Task<Results<Ok<Product>, StatusCodeHttpResult, NotFound>> GetProduct(
        long id, ProductStore store, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var (request, response) = (httpContext.Request, httpContext.Response);
        var row = await store.GetAsync(id, ReadSource.NeedsPrimary(httpContext), cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        var etag = row.ETag;
        response.Headers[HeaderNames.ETag] = etag;
        PublicCaching.Apply(response);
        if (ProductETag.NoneMatchHits(request.Headers.IfNoneMatch, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(row.ToProduct());
    }

    internal static ProductExportResult ExportProducts(HttpRequest request) => ProductExportResult.For(request);

    internal static async Task<Created<Product>> CreateProduct(
        ProductRequest body, ProductStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var row = await store.CreateAsync(body, cancellationToken);
        response.Headers[HeaderNames.ETag] = row.ETag;
        return TypedResults.Created(Location(row.Id), row.ToProduct());
    }

    internal static async Task<Results<Ok<Product>, NotFound, ProblemHttpResult>> ReplaceProduct(
        long id, ProductRequest body, ProductStore store, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var ifMatch = request.Headers.IfMatch.Count == 0 ? null : ProductETag.ParseIfMatch(request.Headers.IfMatch, id);
        var outcome = await store.ReplaceAsync(id, body, ifMatch, cancellationToken);
        if (outcome.Row is { } row)
        {
            response.Headers[HeaderNames.ETag] = row.ETag;
            return TypedResults.Ok(row.ToProduct());
        }

        return outcome.PreconditionFailed ? PreconditionFailed() : TypedResults.NotFound();
    }

    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteProduct(
        long id, ProductStore store, HttpRequest request, CancellationToken cancellationToken)
    {
        var ifMatch = request.Headers.IfMatch.Count == 0 ? null : ProductETag.ParseIfMatch(request.Headers.IfMatch, id);
        return await store.DeleteAsync(id, ifMatch, cancellationToken) switch
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
