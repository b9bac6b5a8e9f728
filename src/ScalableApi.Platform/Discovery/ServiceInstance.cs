namespace ScalableApi.Platform.Discovery;

/// <summary>One registered replica: what a gateway needs to send it traffic.</summary>
public sealed record ServiceInstance(string Id, string Service, string Address, int Weight);
