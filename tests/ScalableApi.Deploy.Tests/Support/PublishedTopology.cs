
namespace ScalableApi.Deploy.Tests.Support;

/// <summary>
/// The four images' contents, made here: each process restored and published with its Dockerfile's own <c>dotnet restore</c> and <c>dotnet publish</c> lines
/// (output to a temporary folder instead of /app), then started as its image starts it, wired together with static
/// destinations (no store), and sent some traffic so every series the dashboards read has been created. Publishing is
/// sequential: the four share the Release build of the platform library.
/// </summary>
public sealed class PublishedTopology : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "scalableapi-deploy-tests", Guid.NewGuid().ToString("N"));
    private readonly List<PublishedProcess> _processes = [];

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    internal IReadOnlyList<PublishedProcess> Processes => _processes;

    /// <summary>The app folders' files (path → size, time) right after publishing, before anything ran.</summary>
    internal IReadOnlyDictionary<string, IReadOnlyDictionary<string, (long, DateTime)>> PublishedFiles { get; private set; } = new Dictionary<string, IReadOnlyDictionary<string, (long, DateTime)>>();

    /// <summary>Each process's /metrics text after the traffic.</summary>
    internal IReadOnlyDictionary<string, string> Metrics { get; private set; } = new Dictionary<string, string>();

    internal PublishedProcess this[string name] => _processes.Single(p => p.Image.Name == name);

    public async Task InitializeAsync()
    {
        var files = new Dictionary<string, IReadOnlyDictionary<string, (long, DateTime)>>();
        foreach (var image in Repository.Processes)
        {
            var app = Path.Combine(_root, image.Name, "app");
            await Tool.RunAsync("dotnet", DockerfileCommand(image, "dotnet restore"), timeout: TimeSpan.FromMinutes(5));
            await Tool.RunAsync("dotnet", PublishArguments(image, app), timeout: TimeSpan.FromMinutes(5));
            files[image.Name] = Snapshot(app);
        }

        PublishedFiles = files;
        await StartAsync();
        await DriveTrafficAsync();
        var metrics = new Dictionary<string, string>();
        foreach (var process in _processes)
        {
            metrics[process.Image.Name] = await Http.GetStringAsync(new Uri(process.Address, "/metrics"));
        }

        Metrics = metrics;
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        Http.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The Dockerfile's publish command, its output folder replaced by <paramref name="output"/>.</summary>
    internal static IReadOnlyList<string> PublishArguments(Repository.Process image, string output)
    {
        var publish = DockerfileCommand(image, "dotnet publish").ToList();
        publish[publish.IndexOf("-o") + 1] = output;
        return publish;
    }

    /// <summary>The arguments after <c>dotnet</c> of the build stage's RUN starting with <paramref name="command"/>.</summary>
    private static IReadOnlyList<string> DockerfileCommand(Repository.Process image, string command) =>
        [.. Docker.DockerfileTests.Load(image.Name).Instructions
            .Single(i => i.Keyword == "RUN" && i.Arguments.StartsWith(command, StringComparison.Ordinal)).Words.Skip(1)];

    internal static Dictionary<string, (long, DateTime)> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f), f => (new FileInfo(f).Length, File.GetLastWriteTimeUtc(f)));

    private async Task StartAsync()
    {
        PublishedProcess Start(string name, Dictionary<string, string> settings)
        {
            var image = Repository.Processes.Single(p => p.Name == name);
            var environment = Docker.DockerfileTests.Load(name).FinalEnvironment;
            var process = PublishedProcess.Start(image, Path.Combine(_root, name, "app"), Path.Combine(_root, name, "data"), environment, settings);
            _processes.Add(process);
            return process;
        }

        // The users process runs with room for one request and one waiting, so a burst of logins overloads it and the
        // overload series exist; everything else keeps its defaults.
        var users = Start("users", new()
        {
            ["Platform__Overload__MaxConcurrentRequests"] = "1",
            ["Platform__Overload__QueueLimit"] = "1",
        });
        await users.WaitUntilReadyAsync(Http, TimeSpan.FromSeconds(60));
        var jwks = new Uri(users.Address, "/.well-known/jwks.json").ToString();
        var catalog = Start("catalog", new() { ["Auth__JwksUrl"] = jwks });
        var content = Start("content", new() { ["Auth__JwksUrl"] = jwks });
        await Task.WhenAll(catalog.WaitUntilReadyAsync(Http, TimeSpan.FromSeconds(60)), content.WaitUntilReadyAsync(Http, TimeSpan.FromSeconds(60)));
        var gateway = Start("gateway", new()
        {
            ["Auth__JwksUrl"] = jwks,
            ["ReverseProxy__Clusters__users__Destinations__d1__Address"] = users.Address.ToString(),
            ["ReverseProxy__Clusters__catalog__Destinations__d1__Address"] = catalog.Address.ToString(),
            ["ReverseProxy__Clusters__content__Destinations__d1__Address"] = content.Address.ToString(),
        });
        await gateway.WaitUntilReadyAsync(Http, TimeSpan.FromSeconds(60));
    }

    private async Task DriveTrafficAsync()
    {
        var gateway = this["gateway"].Address;
        var email = $"deploy-{Guid.NewGuid():N}@example.com";
        using (var register = await Http.PostAsJsonAsync(new Uri(gateway, "/api/auth/register"), new { email, name = "Deploy", password = "correct horse battery" }))
        {
            register.EnsureSuccessStatusCode();
        }

        foreach (var path in new[] { "/api/products", "/api/products/1", "/api/products/1", "/api/users/1", "/api/users/1/overview", "/api/posts/1", "/.well-known/jwks.json" })
        {
            using var _ = await Http.GetAsync(new Uri(gateway, path));
        }

        // Straight to users, past the gateway: a burst of slow (password-hashing) logins beyond its limit of one plus one.
        var logins = Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await Http.PostAsJsonAsync(new Uri(this["users"].Address, "/api/auth/login"), new { email, password = "wrong password!" });
            return (int)response.StatusCode;
        });
        var statuses = await Task.WhenAll(logins);
        if (!statuses.Contains(503))
        {
            throw new InvalidOperationException($"No login was turned away by the overload limit: {string.Join(',', statuses)}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedTopologyCollection : ICollectionFixture<PublishedTopology>
{
    public const string Name = "Published images";
}
