using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using ScalableApi.Platform.Data;

namespace ScalableApi.Platform.Jobs;

/// <summary>One run of a job, as its handler sees it: the input, the progress so far, and how to save more.</summary>
public sealed class JobContext
{
    /// <summary>Errors kept per job (SPEC §2: the first 100 bad lines).</summary>
    public const int MaxErrors = 100;

    private readonly IDatabase _database;
    private readonly TimeProvider _time;
    private readonly string _owner;

    internal JobContext(JobRow row, IDatabase database, TimeProvider time, string owner)
    {
        Id = row.Id;
        Type = row.Type;
        Payload = row.Payload;
        Total = row.Total;
        Checkpoint = row.Checkpoint;
        Processed = row.Processed;
        Failed = row.Failed;
        Attempt = (int)row.Attempts;
        _database = database;
        _time = time;
        _owner = owner;
    }

    public long Id { get; }

    public string Type { get; }

    /// <summary>The JSON the job was queued with.</summary>
    public string Payload { get; }

    public long? Total { get; }

    /// <summary>Where the last saved progress left off (0 at the start); for line input, the last line done.</summary>
    public long Checkpoint { get; private set; }

    public long Processed { get; private set; }

    public long Failed { get; private set; }

    /// <summary>This run's number, 1 for the first.</summary>
    public int Attempt { get; }

    /// <summary>A write connection to the service's database, for the handler's own transaction.</summary>
    public ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _database.OpenWriteAsync(cancellationToken);

    /// <summary>
    /// Saves progress inside the handler's <paramref name="transaction"/>, so the effect and the checkpoint commit
    /// together or not at all. Throws <see cref="JobLeaseLostException"/> when another replica owns the job now:
    /// the handler must then let its transaction roll back.
    /// </summary>
    public async Task SaveAsync(
        DbTransaction transaction, long checkpoint, long processed, long failed, IReadOnlyList<JobError> errors, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            JobSql.Checkpoint,
            new { Id, Owner = _owner, Checkpoint = checkpoint, Processed = processed, Failed = failed, Now = UnixTime.Now(_time) },
            transaction,
            cancellationToken: cancellationToken));
        if (updated == 0)
        {
            throw new JobLeaseLostException(Id);
        }

        var room = (int)Math.Max(0, MaxErrors - Failed);
        foreach (var error in errors.Take(room))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                JobSql.InsertError, new { JobId = Id, error.Line, error.Message }, transaction, cancellationToken: cancellationToken));
        }

        // In memory only once the statements ran; a failed commit ends the run anyway, and the next run reads the row.
        Checkpoint = checkpoint;
        Processed += processed;
        Failed += failed;
    }

    /// <summary>
    /// The job's streamed input (see <see cref="JobInputWriter"/>) line by line after <see cref="Checkpoint"/>, one
    /// chunk in memory at a time; blank lines are skipped. Each item is the line's number (1-based) and its bytes.
    /// </summary>
    public async IAsyncEnumerable<(long Line, ReadOnlyMemory<byte> Text)> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunk = await ReadChunkAsync(JobSql.ChunkAt, new { JobId = Id, Line = Checkpoint + 1 }, cancellationToken);
        while (chunk is not null)
        {
            var data = (ReadOnlyMemory<byte>)chunk.Data;
            var line = chunk.FirstLine;
            while (!data.IsEmpty)
            {
                var end = data.Span.IndexOf((byte)'\n');
                var text = end < 0 ? data : data[..end];
                data = end < 0 ? ReadOnlyMemory<byte>.Empty : data[(end + 1)..];
                if (line > Checkpoint && !JobInputWriter.IsBlank(text.Span))
                {
                    yield return (line, text);
                }

                line++;
            }

            chunk = await ReadChunkAsync(JobSql.NextChunk, new { JobId = Id, chunk.Seq }, cancellationToken);
        }
    }

    private async Task<ChunkRow?> ReadChunkAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenWriteAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ChunkRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    private sealed class ChunkRow
    {
        public long Seq { get; set; }

        public long FirstLine { get; set; }

        public long LineCount { get; set; }

        public byte[] Data { get; set; } = [];
    }
}
