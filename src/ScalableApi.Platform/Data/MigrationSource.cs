using System.Reflection;

namespace ScalableApi.Platform.Data;

/// <summary>
/// Reads a service's migrations from its assembly. Scripts are embedded resources with the logical name
/// <c>migrations/{engine}/NNNN_name.sql</c> (see the services' csproj files).
/// </summary>
public static class MigrationSource
{
    public static IReadOnlyList<Migration> Load(Assembly assembly, DatabaseEngine engine) => Load([new MigrationSet(assembly)], engine);

    /// <summary>
    /// The migrations of every set, in one version order: a service's own (0001…) and those of the platform
    /// capabilities it uses (jobs, outbox, inbox: 9001… so they never clash with a service's numbers).
    /// </summary>
    public static IReadOnlyList<Migration> Load(IEnumerable<MigrationSet> sets, DatabaseEngine engine)
    {
        var migrations = new List<Migration>();
        foreach (var set in sets)
        {
            migrations.AddRange(LoadOne(set.Assembly, $"{set.Prefix}/{engine.ToString().ToLowerInvariant()}/"));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations share version {migrations[i].Version} for {engine}.");
            }
        }

        return migrations;
    }

    private static List<Migration> LoadOne(Assembly assembly, string prefix)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[prefix.Length..^".sql".Length];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(fileName[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration '{resource}' must be named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, fileName[(separator + 1)..], reader.ReadToEnd()));
        }

        return migrations;
    }
}

/// <summary>Embedded migration scripts named <c>{Prefix}/{engine}/NNNN_name.sql</c> in <see cref="Assembly"/>.</summary>
public sealed record MigrationSet(Assembly Assembly, string Prefix = "migrations");
