using Microsoft.AspNetCore.Hosting;

namespace ScalableApi.Gateway.Tests;

/// <summary>
/// The in-memory test server has no TCP peer; a request may name the client address it stands for in
/// <see cref="Header"/>, as the connection would in production. Test host only.
/// </summary>
internal sealed class TestClientIp : IStartupFilter
{
    public const string Header = "X-Test-Client-Ip";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>A fresh client address, so each test has its own anonymous bucket.</summary>
    public static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
}
