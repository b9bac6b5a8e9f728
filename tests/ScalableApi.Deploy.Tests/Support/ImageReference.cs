namespace ScalableApi.Deploy.Tests.Support;

/// <summary>An image reference is pinned when it names a digest, or a tag that is a version (not latest, not floating).</summary>
internal static partial class ImageReference
{
    public static bool IsPinned(string image)
    {
        if (image.Contains("@sha256:", StringComparison.Ordinal))
        {
            return true;
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        if (colon <= slash)
        {
            return false; // no tag at all means latest
        }

        // A version (1.28.0, v3.2.1, 10.0.12-noble; PostgreSQL releases have two parts: 17.6-bookworm), never
        // "latest" or a word like "alpine". The .NET images are held to a full version by DockerfileTests.
        return Version().IsMatch(image[(colon + 1)..]);
    }

    [GeneratedRegex(@"^v?\d+\.\d+(\.\d+)?(-[a-z0-9.]+)*$")]
    private static partial Regex Version();
}
