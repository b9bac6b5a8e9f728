namespace ScalableApi.Platform.Jobs;

/// <summary>
/// Runs jobs of one <see cref="Type"/>. A handler is resumable: it starts from <see cref="JobContext.Checkpoint"/>
/// and saves progress with <see cref="JobContext.SaveAsync"/> in the same transaction as its effect, so a job
/// resumed on another replica after a crash neither repeats nor skips work. Throwing retries the job with backoff
/// (up to <see cref="JobsOptions.MaxAttempts"/> runs); <see cref="PermanentJobFailureException"/> fails it at once.
/// </summary>
public interface IJobHandler
{
    string Type { get; }

    Task RunAsync(JobContext job, CancellationToken cancellationToken);
}

/// <summary>A failure no retry can cure (the input is unusable): the job goes to <c>failed</c> at once.</summary>
public sealed class PermanentJobFailureException(string message) : Exception(message);

/// <summary>Another replica took the job over (this one's lease lapsed): nothing this run did after that is kept.</summary>
public sealed class JobLeaseLostException(long jobId) : Exception($"The lease of job {jobId} was taken over by another replica.");
