namespace ScalableApi.Platform.Health;

/// <summary>Tags that choose which checks a probe runs: liveness runs none, readiness runs <see cref="Ready"/>.</summary>
public static class HealthTags
{
    public const string Ready = "ready";
}
