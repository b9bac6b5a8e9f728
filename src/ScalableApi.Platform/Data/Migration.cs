namespace ScalableApi.Platform.Data;

/// <summary>One versioned SQL script: <c>0001_init.sql</c> is version 1, named "init".</summary>
public sealed record Migration(int Version, string Name, string Sql);
