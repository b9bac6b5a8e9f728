using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using ScalableApi.Platform.Security;

namespace ScalableApi.Platform.Idempotency;

/// <summary>
/// SPEC §2 for a POST carrying <c>Idempotency-Key</c>, after authentication, before the endpoint:
/// a live record of (caller, key) with the same request fingerprint (method, path, body) is replayed with
/// <c>Idempotent-Replayed: true</c>; with another fingerprint it is 422; while the key runs elsewhere, 409; otherwise
/// the endpoint runs with an <see cref="IdempotentRequest"/> whose record it writes in its own transaction.
/// A keyed POST to a route without <see cref="IdempotentEndpointMetadata"/>, or from an anonymous caller, is 400:
/// at-most-once cannot be promised there, and a client that sent a key expects it.
/// </summary>
internal sealed partial class IdempotencyMiddleware(
    RequestDelegate next, InFlightMarkers markers, IOptions<JsonOptions> json, ILogger<IdempotencyMiddleware> logger)
{
    private const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.TryGetValue(IdempotencyHeaders.Key, out var values)
            || context.GetEndpoint() is not { } endpoint)
        {
            await next(context);
            return;
        }

        if (endpoint.Metadata.GetMetadata<IdempotentEndpointMetadata>() is null)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "Idempotency-Key is not accepted on this route.",
                "Only signed-in POSTs that create something take an Idempotency-Key; send this request without one.");
            return;
        }

        if (ParseKey(values) is not { } clientKey)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "Idempotency-Key is not valid.",
                $"Send one key of 1-{MaxKeyLength} visible ASCII characters (a UUID is a good key).");
            return;
        }

        // Records are per caller: without one, user B could be answered with user A's response.
        if (context.User.FindFirst(TokenClaims.Subject)?.Value is not { Length: > 0 } caller)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "Idempotency-Key needs a signed-in caller.");
            return;
        }

        // Stored under "key:" so no client key can name a delete's tombstone ("delete:{path}").
        var key = "key:" + clientKey;
        var store = context.RequestServices.GetRequiredService<IdempotencyStore>();
        var fingerprint = await FingerprintAsync(context.Request, context.RequestAborted);
        if (await store.FindAsync(caller, key, context.RequestAborted) is { } stored)
        {
            await AnswerFromRecordAsync(context, stored, fingerprint);
            return;
        }

        await using var marker = await markers.TryEnterAsync(caller, key, context.RequestAborted);
        if (marker is null)
        {
            context.Response.Headers.RetryAfter = markers.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ProblemAsync(context, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is still running.",
                "Repeat it after the Retry-After delay to get its answer.");
            return;
        }

        var request = new IdempotentRequest(store, json.Value, caller, key, fingerprint);
        context.Features.Set(request);
        try
        {
            await next(context);
        }
        catch (IdempotencyConflictException) when (!context.Response.HasStarted)
        {
            // Another attempt committed first (its marker lapsed or the store was down); this one rolled back.
            context.Response.Clear();
            if (await store.FindAsync(caller, key, context.RequestAborted) is { } winner)
            {
                await AnswerFromRecordAsync(context, winner, fingerprint);
                return;
            }

            throw;
        }

        if (!request.Recorded && context.Response.StatusCode is >= 200 and < 300)
        {
            LogNotRecorded(endpoint.DisplayName);
        }
    }

    private async Task AnswerFromRecordAsync(HttpContext context, IdempotencyRecord record, string fingerprint)
    {
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(record.Fingerprint), Encoding.ASCII.GetBytes(fingerprint)))
        {
            await ProblemAsync(context, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key was already used for another request.",
                "A key names one request (method, path and body); use a new key for a new request.");
            return;
        }

        var response = context.Response;
        response.StatusCode = record.Status;
        if (record.Headers is not null)
        {
            foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(record.Headers, json.Value.SerializerOptions)!)
            {
                response.Headers[name] = value;
            }
        }

        response.Headers[IdempotencyHeaders.Replayed] = "true";
        if (record.Body is not null)
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(record.Body, context.RequestAborted);
        }
    }

    /// <summary>The key as sent, or as an RFC 8941 string (the draft's form, <c>"…"</c>) without its quotes.</summary>
    internal static string? ParseKey(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count != 1 || values[0] is not { } raw)
        {
            return null;
        }

        var key = raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"' ? raw[1..^1] : raw;
        if (key.Length is 0 or > MaxKeyLength || key.Trim().Length != key.Length)
        {
            return null;
        }

        foreach (var c in key)
        {
            if (c is < ' ' or > '~' or '"' or '\\')
            {
                return null;
            }
        }

        return key;
    }

    /// <summary>SHA-256 of method, path and body: the same key with any other request is 422.</summary>
    private static async Task<string> FingerprintAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Bodies are within the platform's limit (1 MiB by default): buffered so the endpoint reads them again.
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.PathBase}{request.Path}\n"));
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        request.Body.Position = 0;
        return Convert.ToBase64String(hash.GetHashAndReset());
    }

    private static Task ProblemAsync(HttpContext context, int status, string title, string? detail = null)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Errors.ProblemDetailsSetup.Create(status, title, detail),
        }).AsTask();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keyed POST to {Endpoint} succeeded without storing its answer: a repeat will run again")]
    private partial void LogNotRecorded(string? endpoint);
}
