using ScalableApi.Gateway.Pages;
using Scalar.AspNetCore;

namespace ScalableApi.Gateway.ApiReference;

/// <summary>
/// The API reference: <c>GET /openapi/gateway.json</c>, one OpenAPI document of every public route as seen through the
/// gateway (merged from the services' own documents at request time, see <see cref="GatewayApiDocument"/>), and
/// Scalar's interactive page over it at <c>/docs</c>.
/// </summary>
internal static class ApiReferenceExtensions
{
    public const string DocsPath = "/docs";

    public static WebApplicationBuilder AddGatewayApiReference(this WebApplicationBuilder builder) =>
        builder.AddFeature<ApiReferenceOptions>(ApiReferenceOptions.SectionName, static services => services.AddSingleton<GatewayRouteTable>().AddSingleton<GatewayApiDocument>());

    public static IEndpointRouteBuilder MapGatewayApiReference(this IEndpointRouteBuilder app)
    {
        app.MapGet(GatewayApiDocument.Path, GetDocument).ExcludeFromDescription();
        app.MapScalarApiReference(DocsPath, static options => options
                .WithTitle("ScalableApi API reference")
                .WithOpenApiRoutePattern(GatewayApiDocument.Path)
                // Fonts from the page's own origin only: the CSP allows nothing else.
                .DisableDefaultFonts())
            .WithPageContentSecurityPolicy();
        return app;
    }

    private static async Task<ContentHttpResult> GetDocument(GatewayApiDocument document, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Content(await document.GetAsync(context, cancellationToken), "application/json; charset=utf-8");
}
