using Microsoft.AspNetCore.Http.HttpResults;
using ScalableApi.Contracts;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Errors;
using ScalableApi.Platform.Security;

namespace ScalableApi.Platform.Jobs;

/// <summary>The jobs routes of SPEC §2 (admin only), for a service that runs jobs: read, page, and requeue a dead one.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapGet("/", ListJobs).WithName("ListJobs").WithSummary("A page of jobs, newest first; optional status filter (admin).");
        api.MapGet("/{id:long}", GetJob).WithName("GetJob").WithSummary("One job: status, progress and its first bad lines (admin).");
        api.MapPost("/{id:long}/retry", RetryJob).WithName("RetryJob").WithSummary("Queue a failed (dead-lettered) job again (admin).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static string Location(long id) => string.Create(CultureInfo.InvariantCulture, $"/api/jobs/{id}");

    internal static async Task<Results<Ok<Job>, NotFound>> GetJob(long id, JobQueue queue, CancellationToken cancellationToken) =>
        await queue.GetAsync(id, cancellationToken) is { } job ? TypedResults.Ok(job) : TypedResults.NotFound();

    internal static async Task<Results<Ok<Page<Job>>, ValidationProblem>> ListJobs(
        [AsParameters] JobListQuery query, JobQueue queue, CancellationToken cancellationToken)
    {
        var errors = new PageRequest(query.Limit, query.Cursor).TryGetKeyset(out var page) ?? [];
        if (query.Status is { } status && !JobStatus.IsVisible(status))
        {
            errors["status"] = ["status must be one of queued, running, completed, failed."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: ProblemTitles.Validation);
        }

        var (jobs, hasMore) = await queue.ListAsync(query.Status, page.Before, page.Limit, cancellationToken);
        return TypedResults.Ok(new Page<Job>(jobs, hasMore ? KeysetCursor.Encode(jobs[^1].Id) : null));
    }

    internal static async Task<Results<Accepted<Job>, NotFound, ProblemHttpResult>> RetryJob(long id, JobQueue queue, CancellationToken cancellationToken)
    {
        var outcome = await queue.RequeueAsync(id, cancellationToken);
        if (outcome.Job is { } job)
        {
            return TypedResults.Accepted(Location(id), job);
        }

        return outcome.Exists
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Only a failed job can be retried.",
                detail: "The job is queued, running or completed; GET it to see its status.")
            : TypedResults.NotFound();
    }
}

/// <summary>Query of <c>GET /api/jobs</c>.</summary>
public sealed record JobListQuery(string? Status, int? Limit, string? Cursor);
