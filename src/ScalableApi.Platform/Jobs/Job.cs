using System.Text.Json.Serialization;

namespace ScalableApi.Platform.Jobs;

/// <summary>A job as the API shows it (SPEC §2); <see cref="LastError"/> says why it is retrying or failed.</summary>
public sealed record Job(
    long Id,
    string Type,
    string Status,
    long? Total,
    long Processed,
    long Failed,
    int Attempts,
    IReadOnlyList<JobError> Errors,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastError);

/// <summary>One bad item of a job, e.g. an import line that could not become a product.</summary>
public sealed record JobError(long Line, string Message);

/// <summary>
/// The row as Dapper reads it: integers are <see cref="long"/> (SQLite hands every INTEGER back as Int64), the SQL
/// aliases snake_case columns to these names.
/// </summary>
internal sealed class JobRow
{
    public long Id { get; set; }

    public string Type { get; set; } = "";

    public string Status { get; set; } = "";

    public string Payload { get; set; } = "{}";

    public long? Total { get; set; }

    public long Processed { get; set; }

    public long Failed { get; set; }

    public long Checkpoint { get; set; }

    public long Attempts { get; set; }

    public long MaxAttempts { get; set; }

    public string? LastError { get; set; }

    public string? LeaseOwner { get; set; }

    public string? TraceParent { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public Job ToJob(IReadOnlyList<JobError> errors) => new(
        Id, Type, Status, Total, Processed, Failed, (int)Attempts, errors,
        Data.UnixTime.ToDateTime(CreatedAt), Data.UnixTime.ToDateTime(UpdatedAt), LastError);
}

/// <summary>A job_errors row.</summary>
internal sealed class JobErrorRow
{
    public long JobId { get; set; }

    public long Line { get; set; }

    public string Message { get; set; } = "";
}
