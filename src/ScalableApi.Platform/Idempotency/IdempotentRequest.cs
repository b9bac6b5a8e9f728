using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Net.Http.Headers;

namespace ScalableApi.Platform.Idempotency;

/// <summary>
/// A keyed POST in progress (an <see cref="HttpContext"/> feature set by <see cref="IdempotencyMiddleware"/>). Its
/// handler calls <see cref="RecordAsync{T}"/> inside the transaction of its effect, before the commit: the answer is
/// stored iff the effect is, so no crash can leave one without the other.
/// </summary>
public sealed class IdempotentRequest
{
    private readonly IdempotencyStore _store;
    private readonly JsonSerializerOptions _json;

    internal IdempotentRequest(IdempotencyStore store, JsonOptions json, string caller, string key, string fingerprint)
    {
        _store = store;
        _json = json.SerializerOptions;
        Caller = caller;
        Key = key;
        Fingerprint = fingerprint;
    }

    public string Caller { get; }

    public string Key { get; }

    internal string Fingerprint { get; }

    /// <summary>True once the handler stored its answer (the middleware warns about a keyed 2xx that did not).</summary>
    public bool Recorded { get; private set; }

    /// <summary>
    /// Stores the answer the handler is about to give (<paramref name="status"/>, <paramref name="body"/> serialised as
    /// the response will be, and <c>Location</c> / <c>ETag</c> when given) in <paramref name="transaction"/>.
    /// Throws <see cref="IdempotencyConflictException"/> when another attempt with the key committed first.
    /// </summary>
    public async Task RecordAsync<T>(
        DbTransaction transaction, int status, T body, string? location, CancellationToken cancellationToken, string? etag = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (location is not null)
        {
            headers[HeaderNames.Location] = location;
        }

        if (etag is not null)
        {
            headers[HeaderNames.ETag] = etag;
        }

        var record = new IdempotencyRecord
        {
            Fingerprint = Fingerprint,
            Status = status,
            Headers = headers.Count == 0 ? null : JsonSerializer.Serialize(headers, _json),
            Body = JsonSerializer.Serialize(body, _json),
        };
        await _store.InsertAsync(transaction, Caller, Key, record, cancellationToken);
        Recorded = true;
    }
}

public static class IdempotentRequestExtensions
{
    /// <summary>The keyed POST this request is, or null when it carries no <c>Idempotency-Key</c>.</summary>
    public static IdempotentRequest? Idempotency(this HttpContext context) => context.Features.Get<IdempotentRequest>();
}
