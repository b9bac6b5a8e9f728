using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using ScalableApi.Platform.Observability;

namespace ScalableApi.Platform.Hosting;

/// <summary>
/// A per-process concurrency limit with a short queue: past it, 503 problem+json with <c>Retry-After: 1</c> and
/// <see cref="OverloadProtection.MarkerHeader"/> at once, rather than every request slowing down until clients time
/// out. Health and metrics are exempt, so an overloaded replica still reports how it is doing.
/// </summary>
internal sealed class ConcurrencyLimitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IProblemDetailsService _problems;
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeSpan _queueTimeout;

    // Read when /metrics is scraped (observable instruments): both series show 0 from start-up, and the hot path
    // only touches an integer.
    private int _queueLength;
    private long _rejections;

    public ConcurrencyLimitMiddleware(RequestDelegate next, IOptions<OverloadOptions> options, IProblemDetailsService problems, IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(PlatformMeters.Name);
        meter.CreateObservableUpDownCounter(
            "http_concurrency_queue_length", () => Volatile.Read(ref _queueLength), "{request}", "Requests waiting for a slot under the per-process concurrency limit.");
        meter.CreateObservableCounter(
            "http_concurrency_rejections_total", () => Interlocked.Read(ref _rejections), "{request}", "Requests answered 503 because the concurrency limit and its queue were full.");
        _next = next;
        _problems = problems;
        var o = options.Value;
        _queueTimeout = o.QueueTimeout;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.EffectiveMaxConcurrentRequests,
            QueueLimit = o.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsExempt(context.Request.Path))
        {
            await _next(context);
            return;
        }

        using var lease = await AcquireAsync(context.RequestAborted);
        if (!lease.IsAcquired)
        {
            Interlocked.Increment(ref _rejections);
            await WriteOverloadedAsync(context);
            return;
        }

        await _next(context);
    }

    private async ValueTask<RateLimitLease> AcquireAsync(CancellationToken aborted)
    {
        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        Interlocked.Increment(ref _queueLength);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(_queueTimeout);
        try
        {
            return await _limiter.AcquireAsync(1, timeout.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            // Waited the whole queue timeout: as overloaded as a full queue.
            return FailedLease.Instance;
        }
        finally
        {
            Interlocked.Decrement(ref _queueLength);
        }
    }

    private Task WriteOverloadedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        context.Response.Headers[OverloadProtection.MarkerHeader] = "1";
        return _problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Errors.ProblemDetailsSetup.Create(
                StatusCodes.Status503ServiceUnavailable, "Service Unavailable", "The server is at capacity. Retry after the Retry-After delay."),
        }).AsTask();
    }

    private static bool IsExempt(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");

    private sealed class FailedLease : RateLimitLease
    {
        public static readonly FailedLease Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
