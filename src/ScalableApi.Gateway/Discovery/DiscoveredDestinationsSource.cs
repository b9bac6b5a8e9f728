namespace ScalableApi.Gateway.Discovery;

/// <summary>
/// A configuration source whose keys are the destinations found in the registry
/// (<c>ReverseProxy:Clusters:{service}:Destinations:{instance}:Address</c>). YARP already reloads its clusters when
/// configuration changes, keeping the health state of destinations that stay, so discovery only has to
/// rewrite these keys: static destinations from appsettings and discovered ones simply merge.
/// </summary>
public sealed class DiscoveredDestinationsSource : IConfigurationSource
{
    public DiscoveredDestinationsProvider Provider { get; } = new();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}

/// <summary>Holds the discovered destinations as configuration keys; replaced wholesale on each reconcile.</summary>
public sealed class DiscoveredDestinationsProvider : ConfigurationProvider
{
    /// <summary>The destinations now in effect, as configuration keys.</summary>
    public IReadOnlyDictionary<string, string?> Current => new Dictionary<string, string?>(Data, StringComparer.OrdinalIgnoreCase);

    /// <summary>Replaces the destinations; reloads configuration only when something changed.</summary>
    public bool Replace(IDictionary<string, string?> destinations)
    {
        var current = Data;
        if (current.Count == destinations.Count && destinations.All(kv => current.TryGetValue(kv.Key, out var v) && v == kv.Value))
        {
            return false;
        }

        Data = new Dictionary<string, string?>(destinations, StringComparer.OrdinalIgnoreCase);
        OnReload();
        return true;
    }
}
