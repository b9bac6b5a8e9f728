using System.Reflection;

namespace ScalableApi.Deploy.Tests.Support;

/// <summary>The source tree these tests check: deploy/, README.md, src/ (found from the test assembly's metadata).</summary>
internal static class Repository
{
    public static string Root { get; } =
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ScalableApi.RepositoryRoot").Value
        ?? throw new InvalidOperationException("Assembly metadata ScalableApi.RepositoryRoot is missing.");

    /// <summary>Absolute path of <paramref name="relative"/> (forward slashes, from the repository root).</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The processes that ship as images: Dockerfile name, project, the folder its image is built from.</summary>
    public static IReadOnlyList<Process> Processes { get; } =
    [
        new("gateway", "ScalableApi.Gateway"),
        new("users", "ScalableApi.Users"),
        new("catalog", "ScalableApi.Catalog"),
        new("content", "ScalableApi.Content"),
    ];

    internal sealed record Process(string Name, string Project)
    {
        public string Dockerfile => $"deploy/docker/{Name}.Dockerfile";

        public string ProjectFile => $"src/{Project}/{Project}.csproj";

        public override string ToString() => Name;
    }
}
