using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace ScalableApi.Gateway.RateLimiting;

/// <summary>
/// The gateway's rate limits, shared by every gateway instance through the store:
/// <list type="bullet">
/// <item><c>user</c>: per signed-in user, keyed by the <c>sub</c> of a token the authentication middleware has
/// already validated (an invalid or forged token is simply anonymous);</item>
/// <item><c>anonymous</c>: per client IP (the TCP peer, or X-Forwarded-For from a trusted proxy only);</item>
/// <item><c>register</c>: every <c>POST /api/auth/register</c> per IP;</item>
/// <item><c>login</c>: failed logins (401) per IP and per email; once either is exhausted, further attempts get
/// 429 without reaching the users service, successful logins never count.</item>
/// </list>
/// A rejection is 429 problem+json with <c>Retry-After</c> and <c>RateLimit-Limit/Remaining/Reset</c>; allowed
/// responses carry the <c>RateLimit-*</c> of the tightest policy that applied.
/// </summary>
public sealed partial class RateLimitMiddleware(
    RequestDelegate next,
    RateLimitStore store,
    RateLimitLeases leases,
    IOptions<RateLimitOptions> options,
    GatewayMetrics metrics,
    IProblemDetailsService problems,
    TimeProvider time,
    ILogger<RateLimitMiddleware> logger)
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    // Set once a request has been counted: the edge cache's hit path counts its candidates early (before
    // authentication), and one of them that turns out a miss must not be counted again by the main pipeline.
    private static readonly object Counted = new();
    private readonly RateLimitOptions _options = options.Value;
    private long _nextWarning;
    private long _suppressedErrors;

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsExempt(context.Request.Path) || !context.Items.TryAdd(Counted, null))
        {
            await next(context);
            return;
        }

        var ip = ClientIp(context);
        var login = HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/api/auth/login", StringComparison.OrdinalIgnoreCase);
        var register = HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/api/auth/register", StringComparison.OrdinalIgnoreCase);
        string? emailKey = null;
        Decision tightest;
        try
        {
            var userId = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(TokenClaims.Subject)?.Value : null;
            tightest = userId is not null
                ? await CountAsync("user", Key("user", userId), _options.SignedInPerUser)
                : await CountAsync("anonymous", Key("ip", ip), _options.AnonymousPerIp);

            if (register && !tightest.Rejected)
            {
                tightest = Tighter(tightest, await CountAsync("register", Key("register", ip), _options.RegistrationsPerIp));
            }

            if (login && !tightest.Rejected)
            {
                emailKey = await ReadEmailKeyAsync(context.Request);
                tightest = Tighter(tightest, await PeekFailedAsync(Key("login-ip", ip), _options.FailedLoginsPerIp));
                if (emailKey is not null && !tightest.Rejected)
                {
                    tightest = Tighter(tightest, await PeekFailedAsync(emailKey, _options.FailedLoginsPerEmail));
                }
            }
        }
        catch (RateLimitStoreException ex)
        {
            StoreError(ex);
            if (_options.FailOpen)
            {
                await next(context);
            }
            else
            {
                context.Response.Headers.RetryAfter = "1";
                await WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", "Rate limits cannot be checked right now. Retry shortly.");
            }

            return;
        }

        if (tightest.Rejected)
        {
            metrics.RateLimitRejection(tightest.Policy);
            SetHeaders(context.Response, tightest);
            context.Response.Headers.RetryAfter = Seconds(tightest.ResetsIn);
            await WriteProblemAsync(context, StatusCodes.Status429TooManyRequests, "Too Many Requests", "Rate limit exceeded. Retry after the Retry-After delay.");
            return;
        }

        context.Response.OnStarting(() =>
        {
            SetHeaders(context.Response, tightest);
            return Task.CompletedTask;
        });
        await next(context);

        if (login && context.Response.StatusCode == StatusCodes.Status401Unauthorized)
        {
            await CountFailedLoginAsync(ip, emailKey);
        }
    }

    private async Task CountFailedLoginAsync(string ip, string? emailKey)
    {
        try
        {
            await store.IncrementAsync(Key("login-ip", ip));
            if (emailKey is not null)
            {
                await store.IncrementAsync(emailKey);
            }
        }
        catch (RateLimitStoreException ex)
        {
            StoreError(ex);
        }
    }

    private async Task<Decision> CountAsync(string policy, string key, int limit)
    {
        var lease = await leases.AcquireAsync(key, limit);
        return new Decision(policy, limit, Math.Max(0, limit - lease.Used), lease.ResetsIn, !lease.Allowed);
    }

    /// <summary>Failed logins are counted after the 401, so here the window is only read: at the limit, stop.</summary>
    private async Task<Decision> PeekFailedAsync(string key, int limit)
    {
        var window = await store.PeekAsync(key);
        return new Decision("login", limit, Math.Max(0, limit - window.Count), window.ResetsIn, window.Count >= limit);
    }

    private static Decision Tighter(Decision a, Decision b) => b.Rejected || b.Remaining < a.Remaining ? b : a;

    /// <summary>The login email, trimmed and lower-cased, hashed so the store holds no addresses.</summary>
    private async Task<string?> ReadEmailKeyAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("email", out var email)
                && email.ValueKind == JsonValueKind.String
                && email.GetString()?.Trim().ToLowerInvariant() is { Length: > 0 } normalized)
            {
                return Key("login-email", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized))));
            }

            return null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON, or a string that is not UTF-8 (GetString throws InvalidOperationException): the users
            // service answers 400 for it, and the per-IP failed-login limit still applies.
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private string Key(string policy, string partition) => $"{_options.KeyPrefix}:{policy}:{partition}";

    private static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        IPAddress address => address.ToString(),
    };

    private static void SetHeaders(HttpResponse response, Decision decision)
    {
        response.Headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Reset"] = Seconds(decision.ResetsIn);
    }

    private static string Seconds(TimeSpan span) =>
        Math.Max(1, (long)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    /// <summary>Counted every time; logged at most every 30 s with how many were not logged, so an outage is one line, not one per request.</summary>
    private void StoreError(RateLimitStoreException ex)
    {
        metrics.RateLimitStoreError();
        var now = time.GetTimestamp();
        var due = Interlocked.Read(ref _nextWarning);
        if (now < due || Interlocked.CompareExchange(ref _nextWarning, now + (long)(WarningInterval.TotalSeconds * time.TimestampFrequency), due) != due)
        {
            Interlocked.Increment(ref _suppressedErrors);
            return;
        }

        LogStoreError(ex, Interlocked.Exchange(ref _suppressedErrors, 0), _options.FailOpen ? "letting requests through" : "answering 503");
    }

    private static bool IsExempt(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate-limit store unreachable ({Suppressed} more errors since the last warning); {Mode}")]
    private partial void LogStoreError(Exception exception, long suppressed, string mode);

    private readonly record struct Decision(string Policy, int Limit, long Remaining, TimeSpan ResetsIn, bool Rejected);
}
