using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Http;

internal static class HttpExtensions
{
    /// <summary>How bodies are read and written: the JSON rules, response buffering and the OpenAPI document.</summary>
    public static WebApplicationBuilder AddPlatformHttp(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            // A JSON API returns strings as stored; HTML encoding is the renderer's job (nosniff + CSP keep it inert).
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            // A number sent as a string ("age":"7") is a wrong type, answered 400 like any other.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddValidatedOptions<ResponseBufferingOptions>(builder.Configuration, ResponseBufferingOptions.SectionName);
        builder.Services.AddOpenApi();
        return builder;
    }
}
