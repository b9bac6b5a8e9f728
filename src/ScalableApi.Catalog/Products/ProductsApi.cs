using Microsoft.Net.Http.Headers;
using ScalableApi.Contracts;

namespace ScalableApi.Catalog.Products;

/// <summary>The product routes of SPEC §2 "Catalog".</summary>
internal static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products").WithTags("Products");

        // Surrogate keys: see CatalogEdgeKeys.
        api.MapGet("/", ListProducts).CachePublicly(_ => CatalogEdgeKeys.Products)
            .WithName("ListProducts").WithSummary("A page of products, newest first; optional text search and price range.");
        // Tens of megabytes, written as rows are read: streamed, never held back for a Content-Length.
        api.MapGet("/export", ExportProducts).StreamsResponse()
            .Produces<Product[]>(StatusCodes.Status200OK, "application/json", ProductExportResult.NdjsonMediaType)
            .WithName("ExportProducts").WithSummary("Every product, streamed as a JSON array or NDJSON (Accept: application/x-ndjson).");
        api.MapGet("/{id:long}", GetProduct).CachePublicly(c => CatalogEdgeKeys.Product(c.RouteId("id")))
            .WithName("GetProduct").WithSummary("One product, with its ETag; 304 on a matching If-None-Match.");
        api.MapPost("/", CreateProduct).RequireAuthorization(AuthorizationPolicies.Admin).Validate<ProductRequest>().Idempotent()
            .PurgesEdgeKeys(_ => CatalogEdgeKeys.Products) // a new id had no cached item: a 404 is never cached
            .WithName("CreateProduct").WithSummary("Create a product (admin).");
        api.MapPut("/{id:long}", ReplaceProduct).RequireAuthorization(AuthorizationPolicies.Admin).Validate<ProductRequest>()
            .PurgesEdgeKeys(c => CatalogEdgeKeys.ProductChanged(c.RouteId("id")))
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithName("ReplaceProduct").WithSummary("Replace a product (admin); If-Match makes it conditional.");
        api.MapDelete("/{id:long}", DeleteProduct).RequireAuthorization(AuthorizationPolicies.Admin)
            .PurgesEdgeKeys(c => CatalogEdgeKeys.ProductChanged(c.RouteId("id")))
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithName("DeleteProduct").WithSummary("Delete a product (admin); If-Match makes it conditional.");
        return app;
    }

    public static async Task<Results<Ok<Page<Product>>, ValidationProblem>> ListProducts(
        [AsParameters] ProductListQuery query, [AsParameters] ProductServices services, CancellationToken cancellationToken)
    {
        if (query.TryParse(out var filter) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: ProblemTitles.Validation);
        }

        var rows = await services.Cache.ListAsync(filter, services.Consistency, cancellationToken);
        return TypedResults.Ok(filter.Page.ToPage(rows, r => r.Id, r => r.ToProduct()));
    }

    public static async Task<Results<Ok<Product>, StatusCodeHttpResult, NotFound>> GetProduct(
        long id, [AsParameters] ProductServices services, CancellationToken cancellationToken)
    {
        var row = await services.Cache.GetAsync(id, services.Consistency, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        // The ETag comes from the cached row, so a matching If-None-Match is a 304 without a database query.
        var etag = row.ETag;
        services.Http.Response.Headers[HeaderNames.ETag] = etag;
        if (ProductETag.NoneMatchHits(services.Http.Request.Headers.IfNoneMatch, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(row.ToProduct());
    }

    public static ProductExportResult ExportProducts(HttpRequest request) => ProductExportResult.For(request);

    public static async Task<Created<Product>> CreateProduct(
        ProductRequest body, [AsParameters] ProductServices services, CancellationToken cancellationToken)
    {
        // A keyed POST stores its answer in the insert's transaction: the product exists iff its record does.
        var keyed = services.Http.Idempotency();
        var row = await services.Store.CreateAsync(
            body,
            keyed is null ? null : (transaction, created) => keyed.RecordAsync(
                transaction, StatusCodes.Status201Created, created.ToProduct(), Location(created.Id), cancellationToken, etag: created.ETag),
            cancellationToken);
        await services.Cache.WrittenAsync(row, cancellationToken);
        services.Http.Response.Headers[HeaderNames.ETag] = row.ETag;
        return TypedResults.Created(Location(row.Id), row.ToProduct());
    }

    public static async Task<Results<Ok<Product>, NotFound, ProblemHttpResult>> ReplaceProduct(
        long id, ProductRequest body, [AsParameters] ProductServices services, CancellationToken cancellationToken)
    {
        var result = await services.Store.ReplaceAsync(id, body, services.IfMatch(id), cancellationToken);
        if (result is { Outcome: WriteOutcome.Done, Value: { } row })
        {
            // Before the response: whoever reads next, on any replica, sees the new row.
            await services.Cache.WrittenAsync(row, cancellationToken);
            services.Http.Response.Headers[HeaderNames.ETag] = row.ETag;
            return TypedResults.Ok(row.ToProduct());
        }

        return result.Outcome == WriteOutcome.PreconditionFailed ? PreconditionFailed() : TypedResults.NotFound();
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteProduct(
        long id, [AsParameters] ProductServices services, CancellationToken cancellationToken)
    {
        var outcome = await services.Store.DeleteAsync(
            id, services.IfMatch(id), transaction => services.Tombstones.RecordAsync(transaction, services.Http, cancellationToken), cancellationToken);
        if (outcome == WriteOutcome.Done)
        {
            await services.Cache.DeletedAsync(id, cancellationToken);
        }

        return outcome switch
        {
            WriteOutcome.Done => TypedResults.NoContent(),
            WriteOutcome.PreconditionFailed => PreconditionFailed(),
            // A retry of this caller's own committed delete (its first answer was lost) answers as the first did.
            _ when await services.Tombstones.DeletedByCallerAsync(services.Http, cancellationToken) => TypedResults.NoContent(),
            _ => TypedResults.NotFound(),
        };
    }

    private static ProblemHttpResult PreconditionFailed() => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: "The product has changed since you read it.",
        detail: "If-Match does not match the current ETag: GET the product again and reapply your change.");

    private static string Location(long id) => string.Create(CultureInfo.InvariantCulture, $"/api/products/{id}");
}

/// <summary>What every product handler takes (bound with <c>[AsParameters]</c>, as eShop's CatalogServices).</summary>
internal sealed record ProductServices(ProductStore Store, ProductCache Cache, DeleteTombstones Tombstones, HttpContext Http) : IRequestServices
{
    /// <summary>The request's If-Match for product <paramref name="id"/>, or null when it sent none.</summary>
    public ProductETag.IfMatch? IfMatch(long id) =>
        Http.Request.Headers.IfMatch.Count == 0 ? null : ProductETag.ParseIfMatch(Http.Request.Headers.IfMatch, id);
}
