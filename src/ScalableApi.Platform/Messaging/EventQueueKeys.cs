namespace ScalableApi.Platform.Messaging;

/// <summary>
/// The store keys of one service's event queue: Redis lists (Garnet has no streams). Producers push on the left
/// of <see cref="Queue"/>; a consumer moves one event at a time from the right into its own processing list
/// (<c>LMOVE</c>), so an event is always in exactly one list and a consumer's crash leaves it where the reaper finds it.
/// </summary>
internal sealed record EventQueueKeys(string Prefix, string Service)
{
    private string Base => $"{Prefix}events:{Service}";

    public string Queue => Base;

    /// <summary>Events waiting for a retry, scored by when they are due.</summary>
    public string Delayed => $"{Base}:delayed";

    public string Dead => $"{Base}:dead";

    /// <summary>Delivery counts by event id (crash redeliveries count too).</summary>
    public string Deliveries => $"{Base}:deliveries";

    /// <summary>Ids of consumers that may hold events.</summary>
    public string Consumers => $"{Base}:consumers";

    public string Processing(string consumer) => $"{Base}:processing:{consumer}";

    public string Alive(string consumer) => $"{Base}:alive:{consumer}";
}
