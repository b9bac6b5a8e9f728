namespace ScalableApi.Platform.Observability;

/// <summary>
/// Where the platform's JSON log lines go: the process's stdout unless a <see cref="LogOutput"/> is registered in
/// the service collection. Tests register one to read the lines a request produced; benchmarks register
/// <see cref="Stream.Null"/> to measure the cost of making the lines without a console to print them.
/// </summary>
public sealed class LogOutput(Stream stream)
{
    public Stream Stream { get; } = stream;
}
