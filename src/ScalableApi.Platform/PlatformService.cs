using ScalableApi.Platform.Data;
using ScalableApi.Platform.Idempotency;

namespace ScalableApi.Platform;

/// <summary>
/// One service on the platform with a database of its own (catalog, content, users): its name and what it adds beyond
/// what <see cref="PlatformService"/> gives every such service, so a service's composition shows only what differs.
/// </summary>
public interface IPlatformService
{
    /// <summary>The service's name: its logs, traces, metrics, discovery entries, cache keys and default SQLite file.</summary>
    static abstract string Name { get; }

    /// <summary>The service's own registrations, after the platform's, its database's and keyed POSTs'.</summary>
    static abstract void AddServices(WebApplicationBuilder builder);

    /// <summary>The service's own routes, after the platform's middleware and endpoints.</summary>
    static abstract void MapEndpoints(WebApplication app);

    /// <summary>A command the arguments name instead of serving (its exit code), run on the built app; null to serve.</summary>
    static virtual Task<int>? RunCommandAsync(WebApplication app, string[] args) => null;
}

/// <summary>
/// What every service with a database is, in the order that works: <see cref="PlatformExtensions.AddPlatform"/>, its
/// <see cref="IDatabase"/> with the migrations of its assembly, keyed POSTs (a service none of whose routes takes a key
/// answers a keyed POST with 400 instead of running it twice), then the service's own parts.
/// </summary>
public static class PlatformService
{
    /// <summary>Everything <typeparamref name="TService"/> registers, platform first: what its Program.cs builds.</summary>
    public static WebApplicationBuilder AddPlatformService<TService>(this WebApplicationBuilder builder)
        where TService : IPlatformService
    {
        var assembly = typeof(TService).Assembly;
        builder.AddPlatform(TService.Name, assembly)
            .AddDatabase(assembly)
            .AddIdempotency();
        TService.AddServices(builder);
        return builder;
    }

    /// <summary>A feature folder's store and cache (its XStore and XCache): one of each per process, shared by its handlers.</summary>
    public static WebApplicationBuilder AddFeature<TStore, TCache>(this WebApplicationBuilder builder)
        where TStore : class
        where TCache : class
    {
        builder.Services.AddSingleton<TStore>();
        builder.Services.AddSingleton<TCache>();
        return builder;
    }

    /// <summary>Builds <typeparamref name="TService"/> and serves it until it is stopped (or runs the command its arguments name).</summary>
    public static async Task<int> RunAsync<TService>(string[] args)
        where TService : IPlatformService
    {
        var app = WebApplication.CreateBuilder(args).AddPlatformService<TService>().Build();
        if (TService.RunCommandAsync(app, args) is { } command)
        {
            return await command;
        }

        app.UsePlatform();
        app.MapPlatformEndpoints();
        TService.MapEndpoints(app);
        await app.RunAsync();
        return 0;
    }
}
