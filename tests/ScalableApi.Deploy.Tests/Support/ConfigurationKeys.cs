namespace ScalableApi.Deploy.Tests.Support;

/// <summary>
/// The product's configuration keys, read from the README's "Configuration" tables (the documented contract), so a
/// manifest setting a key nobody reads, or a misspelt one, fails here rather than being silently ignored in a cluster.
/// </summary>
internal static partial class ConfigurationKeys
{
    /// <summary>
    /// Keys another change introduces and documents as it lands (the separate metrics listener). Until the README
    /// table has them they are accepted here; once it does, this list is redundant and can go.
    /// </summary>
    private static readonly string[] Upcoming = ["Platform:Metrics:Port", "Platform:Metrics:AllowedNetworks"];

    private static readonly Lazy<IReadOnlyList<(string Key, Regex Pattern)>> Documented = new(Load);

    public static IReadOnlyList<string> DocumentedKeys => [.. Documented.Value.Select(d => d.Key)];

    /// <summary>True when <paramref name="environmentName"/> (<c>Section__Key</c>) sets a documented key.</summary>
    public static bool IsKnown(string environmentName)
    {
        var key = environmentName.Replace("__", ":", StringComparison.Ordinal);
        return Documented.Value.Any(d => d.Pattern.IsMatch(key)) || Upcoming.Contains(key, StringComparer.OrdinalIgnoreCase);
    }

    private static List<(string, Regex)> Load()
    {
        var readme = Repository.Read("README.md");
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException("README.md has no \"## Configuration\" section.");
        }

        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        var keys = new List<(string, Regex)>();
        foreach (Match row in KeyRow().Matches(section))
        {
            var key = row.Groups["key"].Value;
            keys.Add((key, ToPattern(key)));
        }

        return keys.Count > 20 ? keys : throw new InvalidOperationException($"Only {keys.Count} keys found in the README's configuration tables.");
    }

    /// <summary><c>*</c> is any rest, <c>{a,b}</c> one of those segments, <c>{id}</c> any one segment; arrays add <c>:N</c>.</summary>
    private static Regex ToPattern(string key)
    {
        var parts = key.Split(':').Select(segment => segment switch
        {
            "*" => ".+",
            ['{', .. var inner, '}'] when inner.Contains(',', StringComparison.Ordinal) => "(" + string.Join('|', inner.Split(',').Select(Regex.Escape)) + ")",
            ['{', .., '}'] => "[^:]+",
            _ => Regex.Escape(segment),
        });
        return new Regex("^" + string.Join(':', parts) + @"(:\d+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    // A table row whose first cell is one back-ticked key: | `Platform:DrainDelay` | `Platform__DrainDelay` | …
    [GeneratedRegex(@"^\|\s*`(?<key>[A-Za-z_][A-Za-z0-9_:*{},]*)`\s*\|", RegexOptions.Multiline)]
    private static partial Regex KeyRow();
}
