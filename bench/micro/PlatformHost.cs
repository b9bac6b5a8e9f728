using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ScalableApi.Platform;
using ScalableApi.Platform.Observability;
using ScalableApi.Platform.Security;

namespace ScalableApi.Bench.Micro;

/// <summary>
/// The services' own configuration, built the way every service builds it (<c>AddPlatform</c>, Production
/// environment), so benchmarks measure the real JSON options, HybridCache (FusionCache) set-up and JWT validation
/// parameters rather than a copy of them. Only the key source is ours: a JWKS served from memory.
/// </summary>
internal static class PlatformHost
{
    /// <summary>
    /// The platform as a service builds it, with one difference: its JSON log lines go to <see cref="Stream.Null"/>
    /// (still made, formatted and written; just not printed into BenchmarkDotNet's output).
    /// </summary>
    public static IServiceProvider Build(ISigningKeySource? keys = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            Args = [],
        });
        builder.Services.AddSingleton(new LogOutput(Stream.Null));
        if (keys is not null)
        {
            // AddPlatform registers its JWKS source with TryAdd: this one wins.
            builder.Services.AddSingleton(keys);
        }

        builder.AddPlatform("bench", Assembly.GetExecutingAssembly());
        return builder.Build().Services;
    }

    /// <summary>The platform's <see cref="JwksSigningKeySource"/> reading a JWKS document from memory instead of HTTP.</summary>
    public static async Task<ISigningKeySource> JwksFromMemoryAsync(string jwksJson)
    {
        var http = new HttpClient(new StaticJsonHandler(jwksJson));
        var options = Options.Create(new AuthOptions { JwksUrl = "http://users.local/.well-known/jwks.json" });
        var source = new JwksSigningKeySource(http, options, TimeProvider.System, NullLogger<JwksSigningKeySource>.Instance);
        await source.EnsureKeyAsync(keyId: null, CancellationToken.None);
        if (source.GetKeys().Count == 0)
        {
            throw new InvalidOperationException("The JWKS document gave no signing key.");
        }

        return source;
    }

    private sealed class StaticJsonHandler(string json) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") });
    }
}
