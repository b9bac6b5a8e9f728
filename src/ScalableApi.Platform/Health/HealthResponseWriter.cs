using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScalableApi.Platform.Health;

/// <summary>
/// Writes <c>{status, uptime, timestamp, checks, memory}</c> for the health endpoints. Check descriptions
/// are ours (never exception text), so the body is safe to expose to a load balancer or the public.
/// </summary>
internal static class HealthResponseWriter
{
    private static readonly DateTime StartedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var process = Process.GetCurrentProcess();
        var body = new HealthResponse(
            Status: report.Status.ToString().ToLowerInvariant(),
            Uptime: Math.Round((DateTime.UtcNow - StartedAt).TotalSeconds, 1),
            Timestamp: DateTime.UtcNow,
            Checks: report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthCheckEntry(e.Value.Status.ToString().ToLowerInvariant(), Math.Round(e.Value.Duration.TotalMilliseconds, 2), e.Value.Description)),
            Memory: new MemoryInfo(process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false), GC.GetGCMemoryInfo().HeapSizeBytes));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, PlatformJsonContext.Default.HealthResponse, context.RequestAborted);
    }
}

internal sealed record HealthResponse(string Status, double Uptime, DateTime Timestamp, Dictionary<string, HealthCheckEntry> Checks, MemoryInfo Memory);

internal sealed record HealthCheckEntry(string Status, double DurationMs, string? Description);

internal sealed record MemoryInfo(long WorkingSetBytes, long ManagedBytes, long HeapSizeBytes);
