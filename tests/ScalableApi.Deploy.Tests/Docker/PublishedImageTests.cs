using ScalableApi.Deploy.Tests.Support;

namespace ScalableApi.Deploy.Tests.Docker;

/// <summary>
/// What each image would hold and do, without a container engine: the Dockerfile's publish succeeds, the result starts
/// with the image's environment, answers the probes and the image's own HEALTHCHECK command, and writes nothing
/// outside its data folder (so a read-only root filesystem holds).
/// </summary>
[Collection(PublishedTopologyCollection.Name)]
public sealed class PublishedImageTests(PublishedTopology topology)
{
    public static TheoryData<string> Processes => [.. Repository.Processes.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Processes))]
    public void Publish_with_the_dockerfiles_settings_gives_a_portable_framework_dependent_app(string name)
    {
        var process = topology[name];
        var files = topology.PublishedFiles[name];

        Assert.Contains(process.Image.Project + ".dll", files.Keys);
        Assert.Contains("appsettings.json", files.Keys);
        Assert.DoesNotContain(process.Image.Project, files.Keys); // no native apphost: one output for amd64 and arm64
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(process.AppDirectory, process.Image.Project + ".runtimeconfig.json")));
        var frameworks = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("frameworks").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Contains("Microsoft.AspNetCore.App", frameworks); // what the aspnet runtime image provides
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public async Task The_probe_paths_of_the_manifests_answer(string name)
    {
        foreach (var path in Kubernetes.WorkloadRulesTests.HealthPaths)
        {
            using var response = await topology.Http.GetAsync(new Uri(topology[name].Address, path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public async Task The_images_health_check_command_passes_against_the_running_app_and_fails_without_one(string name)
    {
        var command = DockerfileTests.Exec(DockerfileTests.Load(name).InFinalStage.Single(i => i.Keyword == "HEALTHCHECK"));

        // Run as the engine would inside the container: same command, the port from the environment.
        var port = new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = topology[name].Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await Tool.RunAsync(command[0], command.Skip(1), environment: port, timeout: TimeSpan.FromSeconds(10));

        var nobody = new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = "1" };
        await Assert.ThrowsAsync<InvalidOperationException>(() => Tool.RunAsync(command[0], command.Skip(1), environment: nobody, timeout: TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public void Running_and_serving_writes_nothing_in_the_app_folder(string name)
    {
        var process = topology[name];

        Assert.Equal(topology.PublishedFiles[name], PublishedTopology.Snapshot(process.AppDirectory));
    }

    [Fact]
    public void Only_the_data_folder_gains_files_and_the_users_keys_are_there()
    {
        // The services ran on SQLite here (no PostgreSQL configured): their files and the signing keys land in /data.
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(topology["users"].DataDirectory, "keys")));
        Assert.True(File.Exists(Path.Combine(topology["catalog"].DataDirectory, "catalog.db")));
    }
}
