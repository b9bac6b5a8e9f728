using k8s.Models;
using ScalableApi.Deploy.Tests.Support;

namespace ScalableApi.Deploy.Tests.Kubernetes;

/// <summary>The settings the manifests give the processes: keys the product reads, secrets that exist, drain timing.</summary>
public sealed partial class SettingsRulesTests
{
    public static TheoryData<string> Overlays => Manifests.Overlays;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_environment_variable_is_a_documented_configuration_key(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        Assert.All(manifests.ProductContainers, x =>
        {
            var env = x.Container.Env ?? [];
            var referenced = env.Where(e => e.Value is not null).SelectMany(e => Reference().Matches(e.Value).Select(m => m.Groups[1].Value)).ToHashSet();
            foreach (var name in EnvironmentOf(manifests, x.Container).Keys)
            {
                // A downward-API value that only feeds another variable ($(POD_IP) in Discovery__Address) is not a setting.
                var helper = env.Any(e => e.Name == name && e.ValueFrom?.FieldRef is not null) && referenced.Contains(name);
                Assert.True(helper || ConfigurationKeys.IsKnown(name), $"{x.Deployment.Metadata.Name}: {name} is not in the README's configuration table");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Secret_and_config_map_references_resolve(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);
        var secrets = manifests.OfType<V1Secret>().ToDictionary(s => s.Metadata.Name);
        var maps = manifests.OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name);

        foreach (var container in manifests.Workloads.SelectMany(w => w.Pod.Containers))
        {
            foreach (var e in container.Env ?? [])
            {
                if (e.ValueFrom?.SecretKeyRef is { } secret)
                {
                    Assert.True(secrets.TryGetValue(secret.Name, out var s) && s.Data.ContainsKey(secret.Key), $"{container.Name}: secret {secret.Name} key {secret.Key}");
                }

                if (e.ValueFrom?.ConfigMapKeyRef is { } map)
                {
                    Assert.True(maps.TryGetValue(map.Name, out var m) && m.Data.ContainsKey(map.Key), $"{container.Name}: config map {map.Name} key {map.Key}");
                }
            }

            Assert.All(container.EnvFrom ?? [], from => Assert.True(from.ConfigMapRef is null || maps.ContainsKey(from.ConfigMapRef.Name), $"{container.Name}: config map {from.ConfigMapRef?.Name}"));
        }

        // No password in the manifests themselves: connection strings only through the Secret.
        Assert.All(manifests.ProductContainers, x => Assert.All(x.Container.Env ?? [], e => Assert.DoesNotContain("password", e.Value ?? "", StringComparison.OrdinalIgnoreCase)));
        Assert.All(maps.Values.SelectMany(m => m.Data.Values), v => Assert.DoesNotContain("password", v, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task PreStop_delay_matches_the_drain_delay_within_the_grace_period(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        Assert.All(manifests.ProductContainers, x =>
        {
            var drain = EnvironmentOf(manifests, x.Container).TryGetValue("Platform__DrainDelay", out var value) ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : TimeSpan.FromSeconds(5);
            var preStop = x.Container.Lifecycle?.PreStop?.Sleep?.Seconds;
            Assert.Equal((long)drain.TotalSeconds, preStop);
            // Both delays, then in-flight requests finishing, before the kubelet's SIGKILL.
            Assert.True(x.Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds >= preStop + (long)drain.TotalSeconds + 30, $"{x.Deployment.Metadata.Name}: grace period too short");
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Metrics_are_served_on_their_own_port_that_no_service_exposes(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        Assert.All(manifests.ProductContainers, x =>
        {
            var port = EnvironmentOf(manifests, x.Container)["Platform__Metrics__Port"];
            Assert.Equal(port, Assert.Single(x.Container.Ports, p => p.Name == "metrics").ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(port, x.Deployment.Spec.Template.Metadata.Annotations["prometheus.io/port"]);
        });
        Assert.All(manifests.OfType<V1Service>().SelectMany(s => s.Spec.Ports), p => Assert.NotEqual("metrics", p.TargetPort.Value));
        Assert.All(manifests.OfType<V1Service>().SelectMany(s => s.Spec.Ports), p => Assert.NotEqual(9090, p.Port));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Each_service_pod_registers_its_own_address_for_discovery(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        Assert.All(manifests.ProductContainers.Where(x => x.Deployment.Metadata.Name != "gateway"), x =>
        {
            var env = x.Container.Env.ToDictionary(e => e.Name);
            Assert.Equal("true", env["Discovery__Enabled"].Value);
            Assert.Equal("status.podIP", env["POD_IP"].ValueFrom.FieldRef.FieldPath);
            Assert.Equal("http://$(POD_IP):8080", env["Discovery__Address"].Value);
            // Defined before use: Kubernetes expands $(VAR) only from earlier entries.
            Assert.True(x.Container.Env.ToList().FindIndex(e => e.Name == "POD_IP") < x.Container.Env.ToList().FindIndex(e => e.Name == "Discovery__Address"));
        });
    }

    /// <summary>The container's environment: config maps through envFrom, then env (a later entry wins). Values of secrets are not needed.</summary>
    internal static Dictionary<string, string> EnvironmentOf(Manifests manifests, V1Container container)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var from in container.EnvFrom ?? [])
        {
            var map = manifests.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == from.ConfigMapRef.Name);
            foreach (var (key, value) in map.Data)
            {
                result[key] = value;
            }
        }

        foreach (var e in container.Env ?? [])
        {
            result[e.Name] = e.Value ?? "(reference)";
        }

        return result;
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
