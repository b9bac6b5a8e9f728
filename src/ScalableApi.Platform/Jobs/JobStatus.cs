namespace ScalableApi.Platform.Jobs;

/// <summary>A job's status as stored and shown (SPEC §2): queued → running → completed | failed (dead letter).</summary>
public static class JobStatus
{
    /// <summary>Being created (its input still streaming in): neither claimed nor shown.</summary>
    public const string Draft = "draft";

    /// <summary>Waiting for a replica: new, retrying after a transient failure (not before its backoff), or requeued.</summary>
    public const string Queued = "queued";

    /// <summary>Claimed by a replica holding a lease; when the lease lapses (the replica died) another resumes it.</summary>
    public const string Running = "running";

    public const string Completed = "completed";

    /// <summary>Dead-lettered: it failed on every one of its attempts, or permanently; <c>POST /api/jobs/{id}/retry</c> requeues it.</summary>
    public const string Failed = "failed";

    public static bool IsVisible(string status) => status is Queued or Running or Completed or Failed;
}
