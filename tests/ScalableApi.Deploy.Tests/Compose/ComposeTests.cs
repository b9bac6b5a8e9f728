using System.Text.Json.Nodes;
using ScalableApi.Deploy.Tests.Support;

namespace ScalableApi.Deploy.Tests.Compose;

/// <summary>deploy/compose: valid by the compose specification, and the topology it promises.</summary>
public sealed partial class ComposeTests
{
    private static readonly string[] Processes = ["gateway", "users", "catalog", "content"];

    [Fact]
    public void Compose_file_is_valid_by_the_compose_spec_schema()
    {
        var (valid, errors) = ComposeFile.Validate(ComposeFile.Load());

        Assert.True(valid, string.Join('\n', errors));
    }

    [Fact]
    public void The_schema_rejects_what_compose_would_reject()
    {
        // The validation above means something: a misspelt key and a wrong type both fail it.
        var compose = ComposeFile.Load();
        compose["services"]!["redis"]!["restrat"] = "always";
        Assert.False(ComposeFile.Validate(compose).Valid);

        compose = ComposeFile.Load();
        compose["services"]!["redis"]!["ports"] = JsonValue.Create(6379);
        Assert.False(ComposeFile.Validate(compose).Valid);

        compose = ComposeFile.Load();
        compose["services"]!["redis"]!["stop_grace_period"] = "30 seconds";
        Assert.False(ComposeFile.Validate(compose).Valid);
    }

    [Fact]
    public void Two_replicas_of_every_process_each_registering_its_own_address()
    {
        var compose = ComposeFile.Load();
        var services = ComposeFile.ProductServices(compose).ToList();

        Assert.All(Processes, process => Assert.Equal([$"{process}-1", $"{process}-2"], services.Where(s => s.Name.StartsWith(process + "-", StringComparison.Ordinal)).Select(s => s.Name).Order()));
        Assert.All(services, s =>
        {
            var process = s.Name[..s.Name.LastIndexOf('-')];
            Assert.Equal($"deploy/docker/{process}.Dockerfile", s.Service["build"]!["dockerfile"]!.GetValue<string>());
            Assert.True(File.Exists(Repository.PathOf($"deploy/docker/{process}.Dockerfile")));
            var environment = s.Service["environment"]!.AsObject();
            if (process != "gateway")
            {
                Assert.Equal("true", environment["Discovery__Enabled"]!.GetValue<string>());
                Assert.Equal($"http://{s.Name}:8080", environment["Discovery__Address"]!.GetValue<string>());
            }
        });
    }

    [Fact]
    public void Every_environment_variable_of_the_processes_is_a_documented_configuration_key()
    {
        var compose = ComposeFile.Load();

        Assert.All(ComposeFile.ProductServices(compose), s => Assert.All(
            s.Service["environment"]!.AsObject().Select(e => e.Key),
            key => Assert.True(ConfigurationKeys.IsKnown(key), $"{s.Name}: {key} is not in the README's configuration table")));
    }

    [Fact]
    public void Secrets_come_from_the_env_file_and_the_example_names_every_one()
    {
        var text = Repository.Read(ComposeFile.Path);
        var example = Repository.Read("deploy/compose/.env.example").Split('\n')
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#')).Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).ToHashSet();

        var used = Interpolation().Matches(text).Select(m => m.Groups["name"].Value).ToHashSet();
        Assert.Subset(example, used);
        // Every password is an interpolation, never a literal in the file.
        Assert.All(Password().Matches(text), m => Assert.StartsWith("${", m.Groups["value"].Value, StringComparison.Ordinal));
        Assert.Contains("deploy/compose/.env", Repository.Read(".gitignore"), StringComparison.Ordinal);
        Assert.False(File.Exists(Repository.PathOf("deploy/compose/.env")) && IsTracked("deploy/compose/.env"));
    }

    [Fact]
    public void Third_party_images_are_pinned_and_ours_are_built()
    {
        var compose = ComposeFile.Load();

        Assert.All(ComposeFile.Services(compose), s =>
        {
            var image = s.Value!["image"]!.GetValue<string>();
            Assert.True(s.Value["build"] is not null || ImageReference.IsPinned(image), $"{s.Key}: {image} is not pinned");
        });
    }

    [Fact]
    public void Processes_run_locked_down_with_a_read_only_root_filesystem()
    {
        var compose = ComposeFile.Load();

        Assert.All(ComposeFile.ProductServices(compose), s =>
        {
            Assert.True(s.Service["read_only"]!.GetValue<bool>());
            Assert.Equal(["/tmp"], s.Service["tmpfs"]!.AsArray().Select(t => t!.GetValue<string>()));
            Assert.Equal(["ALL"], s.Service["cap_drop"]!.AsArray().Select(t => t!.GetValue<string>()));
            Assert.Contains("no-new-privileges:true", s.Service["security_opt"]!.AsArray().Select(t => t!.GetValue<string>()));
            // Data (SQLite fallback, the users service's keys) lives on a volume at the image's data directory; the
            // gateway keeps nothing.
            Assert.True(s.Name.StartsWith("gateway-", StringComparison.Ordinal) || (s.Service["volumes"]?.AsArray() ?? []).Any(v => v!.GetValue<string>().EndsWith(":/data", StringComparison.Ordinal)), $"{s.Name}: no volume at /data");
        });
        // Every users replica mounts the same data volume: they sign with one set of keys.
        var users = ComposeFile.ProductServices(compose).Where(s => s.Name.StartsWith("users-", StringComparison.Ordinal)).Select(s => s.Service["volumes"]!.ToJsonString()).Distinct();
        Assert.Single(users);
    }

    [Fact]
    public void PostgreSQL_has_a_streaming_replica_that_the_services_read_from()
    {
        var compose = ComposeFile.Load();
        var services = ComposeFile.Services(compose);

        Assert.Contains("wal_level=replica", services["postgres-primary"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Contains("CREATE ROLE replicator WITH REPLICATION", Repository.Read("deploy/compose/postgres/primary-init.sh"), StringComparison.Ordinal);
        Assert.Contains("pg_basebackup -h postgres-primary -U replicator -D \"$PGDATA\" -R", Repository.Read("deploy/compose/postgres/replica-entrypoint.sh"), StringComparison.Ordinal);
        Assert.All(ComposeFile.ProductServices(compose).Where(s => !s.Name.StartsWith("gateway", StringComparison.Ordinal)), s =>
        {
            var connection = s.Service["environment"]!["Database__ConnectionString"]!.GetValue<string>();
            Assert.StartsWith("Host=postgres-primary:5432,postgres-replica:5432;", connection, StringComparison.Ordinal);
            Assert.Contains($"Database=scalableapi_{s.Name[..s.Name.LastIndexOf('-')]};", connection, StringComparison.Ordinal);
        });
        Assert.Contains("--appendonly", services["redis"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public void Nginx_balances_least_conn_over_every_gateway_and_hides_metrics()
    {
        var compose = ComposeFile.Load();
        var nginx = Repository.Read("deploy/nginx/nginx.conf");

        var upstream = Upstream().Match(nginx);
        Assert.True(upstream.Success, "no upstream block");
        Assert.Contains("least_conn;", upstream.Value, StringComparison.Ordinal);
        var servers = UpstreamServer().Matches(upstream.Value).Select(m => m.Groups["host"].Value).Order().ToList();
        Assert.Equal(ComposeFile.ProductServices(compose).Where(s => s.Name.StartsWith("gateway-", StringComparison.Ordinal)).Select(s => s.Name + ":8080").Order(), servers);
        Assert.Contains("location = /metrics", nginx, StringComparison.Ordinal);
        // The gateways believe X-Forwarded-For from nginx's fixed address only.
        var address = compose["services"]!["nginx"]!["networks"]!["front"]!["ipv4_address"]!.GetValue<string>();
        Assert.All(ComposeFile.ProductServices(compose).Where(s => s.Name.StartsWith("gateway-", StringComparison.Ordinal)), s => Assert.Equal(address, s.Service["environment"]!["Gateway__TrustedProxies__0"]!.GetValue<string>()));
    }

    private static bool IsTracked(string path) =>
        Tool.RunAsync("git", ["ls-files", "--error-unmatch", path]).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default).GetAwaiter().GetResult();

    [GeneratedRegex(@"\$\{(?<name>[A-Z_][A-Z0-9_]*)(:?[-?][^}]*)?\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"(?:(?i:password)=|PASSWORD:\s+|--requirepass"",\s*"")(?<value>[^;""\s]+)")]
    private static partial Regex Password();

    [GeneratedRegex(@"upstream\s+gateway\s*\{[^}]*\}")]
    private static partial Regex Upstream();

    [GeneratedRegex(@"^\s*server\s+(?<host>[^\s;]+)", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();
}
