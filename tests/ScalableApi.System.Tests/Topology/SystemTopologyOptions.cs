namespace ScalableApi.System.Tests.Topology;

/// <summary>What <see cref="SystemTopology"/> starts: replica count, drain delay, extra settings per process.</summary>
public sealed class SystemTopologyOptions
{
    /// <summary>Registered at start in every topology; <c>Users:AdminEmails</c> makes it an admin.</summary>
    public const string AdminEmail = "admin@example.com";

    /// <summary>Replicas of each service at start.</summary>
    public int Replicas { get; init; } = 2;

    /// <summary>The AppHost's <c>Platform__DrainDelay</c>: locally the gateway follows a deregistration at once.</summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long start-up (processes ready and routed by the gateway) may take on a busy 2-core machine.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Extra environment per process kind (<c>users</c>, <c>catalog</c>, <c>content</c>, <c>gateway</c>), on top of
    /// the AppHost's. A null value removes an inherited variable.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Environment { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string?>>
        {
            [SystemTopology.Users] = new Dictionary<string, string?> { ["Users__AdminEmails__0"] = AdminEmail },
        };
}
