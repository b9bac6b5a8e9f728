namespace ScalableApi.Platform.Data;

/// <summary>The SQL engines a service can run on. SQL that differs between them lives in per-engine files or branches.</summary>
public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}
