namespace ScalableApi.System.Tests.Topology;

/// <summary>One running replica of a service: its process, its address, and how the gateway names it.</summary>
public sealed class Replica(string service, int index, Uri baseAddress, ChildProcess process)
{
    public string Service { get; } = service;

    /// <summary>1-based, like the AppHost's <c>catalog-2</c>.</summary>
    public int Index { get; } = index;

    public string Name => $"{Service}-{Index}";

    public Uri BaseAddress { get; } = baseAddress;

    public ChildProcess Process { get; } = process;

    /// <summary>
    /// Whether <paramref name="destinationId"/> (the gateway's name for a destination) is this replica. A replica
    /// registers as <c>{machine}-{pid}-{random}</c>, so the process id identifies it.
    /// </summary>
    public bool IsDestination(string destinationId)
    {
        var pid = string.Create(CultureInfo.InvariantCulture, $"-{Process.Id}-");
        var at = destinationId.LastIndexOf(pid, StringComparison.Ordinal);
        return at >= 0 && destinationId.Length - (at + pid.Length) == 6;
    }

    public override string ToString() => $"{Name} {BaseAddress} pid {Process.Id}";
}
