namespace ScalableApi.Platform.Data.Consistency;

/// <summary>
/// Consistency tokens at the edge of a service (SPEC §2, issue 14.3). In: a request's <c>Consistency-Token</c> becomes
/// its <see cref="IReadConsistencyFeature"/> (reads at least at that position; a malformed token is 400). Out: a
/// successful write (any method but GET, HEAD, OPTIONS, with a 2xx) carries the token of the database's position
/// after it, taken when the response starts, i.e. after the handler committed.
/// </summary>
internal sealed partial class ConsistencyTokenMiddleware(RequestDelegate next, IDatabase database, ConsistencyClock clock, ILogger<ConsistencyTokenMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var consistency = ReadConsistency.Any;
        if (context.Request.Headers.TryGetValue(ConsistencyToken.HeaderName, out var values))
        {
            if (values.Count != 1 || !ConsistencyToken.TryParse(values[0], database.Engine, out var position))
            {
                throw new BadHttpRequestException("The Consistency-Token header is not a token this API issued.", StatusCodes.Status400BadRequest);
            }

            // Not given to the clock: a client may send any position, and cache entries must not claim one on its word.
            consistency = ReadConsistency.AtLeast(position);
        }

        context.Features.Set<IReadConsistencyFeature>(new ReadConsistencyFeature(consistency));
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.OnStarting(() => AddTokenAsync(context));
        }

        return next(context);
    }

    private async Task AddTokenAsync(HttpContext context)
    {
        if (context.Response.StatusCode is < 200 or > 299)
        {
            return;
        }

        try
        {
            var position = await database.CommitPositionAsync(context.RequestAborted);
            clock.Observe(position);
            context.Response.Headers[ConsistencyToken.HeaderName] = ConsistencyToken.Format(database.Engine, position);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or TimeoutException)
        {
            // The write is done; without a token the caller merely reads from wherever (no read-your-writes guarantee).
            LogNoToken(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No consistency token for a write: the database did not report its position")]
    private static partial void LogNoToken(ILogger logger, Exception exception);
}
