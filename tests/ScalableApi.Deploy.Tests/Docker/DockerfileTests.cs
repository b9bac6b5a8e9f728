using System.Xml.Linq;
using ScalableApi.Deploy.Tests.Support;

namespace ScalableApi.Deploy.Tests.Docker;

/// <summary>deploy/docker/*.Dockerfile read as the builder reads them: stages, copies, user, health check, images.</summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string> Processes => [.. Repository.Processes.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Processes))]
    public void Build_and_runtime_stages_exist_and_every_reference_names_an_earlier_stage(string name)
    {
        var file = Load(name);

        Assert.Equal(["build", "runtime"], file.Stages);
        foreach (var copy in file.Instructions.Where(i => i.Flags.ContainsKey("from")))
        {
            var stage = copy.Flags["from"];
            var index = file.Stages.ToList().IndexOf(stage);
            Assert.True(index >= 0 && index < copy.Stage, $"COPY --from={stage} names no earlier stage");
        }
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public void Runs_as_the_images_non_root_user_with_a_health_check_on_live(string name)
    {
        var file = Load(name);
        var final = file.InFinalStage.ToList();

        var user = final.Last(i => i.Keyword == "USER").Arguments;
        Assert.DoesNotMatch(@"^(root|0)(:.*)?$", user);
        // The aspnet image's non-root user (uid 1654); the Kubernetes manifests run as the same uid.
        Assert.Equal("$APP_UID", user);
        Assert.True(final.FindLastIndex(i => i.Keyword == "USER") > final.FindLastIndex(i => i.Keyword is "RUN" or "COPY"), "USER comes after the last RUN/COPY");
        var check = Assert.Single(final, i => i.Keyword == "HEALTHCHECK");
        Assert.StartsWith("CMD [", check.Arguments, StringComparison.Ordinal);
        Assert.Contains("/health/live", check.Arguments, StringComparison.Ordinal);
        Assert.Equal(["dotnet", Repository.Processes.Single(p => p.Name == name).Project + ".dll"], Exec(final.Single(i => i.Keyword == "ENTRYPOINT")));
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public void Exposes_the_port_it_listens_on_and_keeps_data_under_the_volume(string name)
    {
        var file = Load(name);

        var env = file.FinalEnvironment;
        Assert.Equal(env["ASPNETCORE_HTTP_PORTS"], Assert.Single(file.InFinalStage, i => i.Keyword == "EXPOSE").Arguments);
        Assert.Equal("/data", env["Platform__DataDirectory"]);
        Assert.Contains(file.InFinalStage, i => i.Keyword == "RUN" && i.Arguments.Contains("chown $APP_UID:$APP_UID /data", StringComparison.Ordinal));
        Assert.All(env.Keys, key => Assert.True(ConfigurationKeys.IsKnown(key), $"{key} is not in the README's configuration table"));
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public void Base_images_are_the_official_dotnet_ones_at_versions_matching_the_repository(string name)
    {
        var file = Load(name);
        var images = file.Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Words[0]).ToList();

        var sdk = Version().Match(Assert.Single(images, i => i.StartsWith("mcr.microsoft.com/dotnet/sdk:", StringComparison.Ordinal)));
        var runtime = Version().Match(Assert.Single(images, i => i.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal)));
        Assert.True(sdk.Success && runtime.Success, "full versions, not floating tags like 10.0");
        // global.json (latestFeature) accepts the SDK image's version: same major.minor and feature band, no older patch.
        var global = JsonDocument.Parse(Repository.Read("global.json")).RootElement.GetProperty("sdk").GetProperty("version").GetString()!;
        var (wanted, image) = (System.Version.Parse(global), System.Version.Parse(sdk.Groups["version"].Value));
        Assert.True(image.Major == wanted.Major && image.Minor == wanted.Minor && image.Build >= wanted.Build, $"SDK image {image} does not satisfy global.json {wanted}");
        var framework = XDocument.Load(Repository.PathOf("Directory.Build.props")).Descendants("TargetFramework").Single().Value; // net10.0
        Assert.StartsWith(framework["net".Length..] + ".", runtime.Groups["version"].Value, StringComparison.Ordinal);
        // Every Dockerfile builds on the same images, so one pull serves all four.
        Assert.All(Repository.Processes, other => Assert.Equal(images, Load(other.Name).Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Words[0])));
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public void Restore_sees_every_project_it_needs_and_every_copied_path_exists(string name)
    {
        var process = Repository.Processes.Single(p => p.Name == name);
        var file = Load(name);
        var build = file.Instructions.Where(i => i.Stage == 0).ToList();

        var restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0, "no dotnet restore");
        var copiedBeforeRestore = build.Take(restore).Where(i => i.Keyword == "COPY").SelectMany(i => i.Words.SkipLast(1)).ToHashSet();
        // The project and everything it references (transitively), plus the build props restore reads.
        Assert.Subset(copiedBeforeRestore, ProjectClosure(process.ProjectFile).Append("Directory.Packages.props").Append("Directory.Build.props").Append("global.json").ToHashSet());
        foreach (var source in build.Where(i => i.Keyword == "COPY").SelectMany(i => i.Words.SkipLast(1)))
        {
            Assert.True(File.Exists(Repository.PathOf(source)) || Directory.Exists(Repository.PathOf(source)), $"COPY {source}: not in the repository");
            Assert.False(Ignored(source), $"COPY {source}: excluded by .dockerignore");
        }

        // Everything compiled is copied after restore: each project folder of the closure.
        var copiedAfter = build.Skip(restore).Where(i => i.Keyword == "COPY").SelectMany(i => i.Words.SkipLast(1)).ToHashSet();
        Assert.Subset(copiedAfter, ProjectClosure(process.ProjectFile).Select(p => p[..(p.LastIndexOf('/') + 1)]).ToHashSet());
        var publish = Assert.Single(build, i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
        Assert.StartsWith($"dotnet publish {process.ProjectFile} --no-restore -c Release -o /app", publish.Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void Docker_ignore_keeps_build_outputs_and_secrets_out_of_the_context()
    {
        Assert.True(Ignored("src/ScalableApi.Gateway/bin/"));
        Assert.True(Ignored("src/ScalableApi.Gateway/obj/"));
        Assert.True(Ignored("deploy/compose/.env"));
        Assert.True(Ignored("data/"));
        Assert.False(Ignored("src/ScalableApi.Gateway/"));
    }

    /// <summary>The exec-form arguments of ENTRYPOINT / CMD.</summary>
    internal static string[] Exec(Instruction instruction) =>
        JsonSerializer.Deserialize<string[]>(instruction.Arguments[instruction.Arguments.IndexOf('[', StringComparison.Ordinal)..])!;

    internal static Dockerfile Load(string name) => Dockerfile.Parse(Repository.Read($"deploy/docker/{name}.Dockerfile"));

    private static IEnumerable<string> ProjectClosure(string projectFile)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { projectFile };
        var queue = new Queue<string>([projectFile]);
        while (queue.TryDequeue(out var project))
        {
            var folder = Path.GetDirectoryName(Repository.PathOf(project))!;
            foreach (var reference in XDocument.Load(Repository.PathOf(project)).Descendants("ProjectReference").Select(r => r.Attribute("Include")!.Value))
            {
                var relative = Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(folder, reference.Replace('\\', '/')))).Replace('\\', '/');
                if (seen.Add(relative))
                {
                    queue.Enqueue(relative);
                }
            }
        }

        return seen;
    }

    // .dockerignore lines as the builder matches them here: "**/x/" anywhere, "x/" from the root, "**/*.ext" by name.
    private static bool Ignored(string path)
    {
        var patterns = Repository.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
        return patterns.Any(p => p.StartsWith("**/", StringComparison.Ordinal)
            ? Regex.IsMatch("/" + path, "/" + Regex.Escape(p[3..]).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + (p.EndsWith('/') ? "" : "(/|$)"))
            : ("/" + path).StartsWith("/" + p, StringComparison.Ordinal));
    }

    [GeneratedRegex(@":(?<version>\d+\.\d+\.\d+)(-[a-z]+)?$")]
    private static partial Regex Version();
}
