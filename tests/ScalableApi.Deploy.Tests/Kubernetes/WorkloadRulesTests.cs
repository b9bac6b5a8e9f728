using k8s.Models;
using ScalableApi.Deploy.Tests.Support;

namespace ScalableApi.Deploy.Tests.Kubernetes;

/// <summary>What a reviewer checks in every rendered overlay: wiring between objects, probes, limits, images, settings.</summary>
public sealed class WorkloadRulesTests
{
    /// <summary>The health endpoints every process serves (PublishedImageTests asserts they answer).</summary>
    internal static readonly string[] HealthPaths = ["/health/live", "/health/ready"];

    public static TheoryData<string> Overlays => Manifests.Overlays;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Selectors_match_their_pod_template_labels(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        Assert.All(manifests.Deployments, d => AssertSelects(d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels, d.Metadata.Name));
        Assert.All(manifests.OfType<V1StatefulSet>(), s => AssertSelects(s.Spec.Selector.MatchLabels, s.Spec.Template.Metadata.Labels, s.Metadata.Name));
        Assert.All(manifests.Workloads, w => Assert.All(w.Pod.TopologySpreadConstraints ?? [], t => AssertSelects(t.LabelSelector.MatchLabels, w.Labels, w.Name)));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_service_selects_a_workload_on_a_port_its_containers_name(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        Assert.All(manifests.OfType<V1Service>(), service =>
        {
            var selected = manifests.Workloads.Where(w => Selects(service.Spec.Selector, w.Labels)).ToList();
            Assert.True(selected.Count == 1, $"Service {service.Metadata.Name} selects {selected.Count} workloads");
            var ports = selected[0].Pod.Containers.SelectMany(c => c.Ports ?? []).ToList();
            Assert.All(service.Spec.Ports, p => Assert.Contains(ports, cp => cp.Name == p.TargetPort.Value || cp.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == p.TargetPort.Value));
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Autoscalers_and_disruption_budgets_target_existing_deployments(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);
        var deployments = manifests.Deployments.ToList();

        var autoscalers = manifests.OfType<V2HorizontalPodAutoscaler>().ToList();
        Assert.All(autoscalers, h =>
        {
            Assert.Equal(("apps/v1", "Deployment"), (h.Spec.ScaleTargetRef.ApiVersion, h.Spec.ScaleTargetRef.Kind));
            Assert.Contains(deployments, d => d.Metadata.Name == h.Spec.ScaleTargetRef.Name);
            Assert.True(h.Spec.MinReplicas <= h.Spec.MaxReplicas);
            Assert.Contains(h.Spec.Metrics, m => m.Resource?.Name == "cpu");
        });
        var budgets = manifests.OfType<V1PodDisruptionBudget>().ToList();
        Assert.All(budgets, b => Assert.Single(deployments, d => Selects(b.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels)));
        // Each of our processes scales and has a budget.
        Assert.All(manifests.ProductContainers, x =>
        {
            Assert.Contains(autoscalers, h => h.Spec.ScaleTargetRef.Name == x.Deployment.Metadata.Name);
            Assert.Contains(budgets, b => Selects(b.Spec.Selector.MatchLabels, x.Deployment.Spec.Template.Metadata.Labels));
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Probes_ask_the_health_endpoints_on_the_http_port(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        Assert.All(manifests.ProductContainers, x =>
        {
            var c = x.Container;
            Assert.Equal("/health/ready", c.ReadinessProbe?.HttpGet?.Path);
            Assert.Equal("/health/live", c.LivenessProbe?.HttpGet?.Path);
            Assert.Equal("/health/live", c.StartupProbe?.HttpGet?.Path);
            foreach (var probe in new[] { c.ReadinessProbe!, c.LivenessProbe!, c.StartupProbe! })
            {
                Assert.Equal("http", probe.HttpGet.Port.Value);
            }

            Assert.Equal(8080, Assert.Single(c.Ports, p => p.Name == "http").ContainerPort);
        });
        // Any HTTP probe anywhere asks a path the product serves.
        var httpProbes = manifests.Workloads.SelectMany(w => w.Pod.Containers)
            .SelectMany(c => new[] { c.ReadinessProbe, c.LivenessProbe, c.StartupProbe }).Where(p => p?.HttpGet is not null);
        Assert.All(httpProbes, p => Assert.Contains(p!.HttpGet.Path, HealthPaths));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_container_has_limits_and_runs_locked_down_as_non_root(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        Assert.All(manifests.Workloads, w =>
        {
            Assert.True(w.Pod.SecurityContext?.RunAsNonRoot, $"{w.Name}: runAsNonRoot");
            Assert.True(w.Pod.SecurityContext?.RunAsUser is > 0, $"{w.Name}: a numeric non-root runAsUser");
            Assert.False(w.Pod.AutomountServiceAccountToken, $"{w.Name}: no API token it does not use");
            Assert.All(w.Pod.Containers.Concat(w.Pod.InitContainers ?? []), c =>
            {
                Assert.True(c.Resources?.Limits?.ContainsKey("cpu") == true && c.Resources.Limits.ContainsKey("memory"), $"{w.Name}/{c.Name}: cpu and memory limits");
                Assert.True(c.Resources.Requests?.ContainsKey("cpu") == true && c.Resources.Requests.ContainsKey("memory"), $"{w.Name}/{c.Name}: requests");
                Assert.True(c.Resources.Requests["memory"].ToInt64() <= c.Resources.Limits["memory"].ToInt64(), $"{w.Name}/{c.Name}: request within limit");
                Assert.False(c.SecurityContext?.AllowPrivilegeEscalation, $"{w.Name}/{c.Name}: allowPrivilegeEscalation false");
                Assert.True(c.SecurityContext?.ReadOnlyRootFilesystem, $"{w.Name}/{c.Name}: read-only root filesystem");
                Assert.Equal(["ALL"], c.SecurityContext?.Capabilities?.Drop ?? []);
                Assert.Null(c.SecurityContext?.RunAsUser is 0 ? "root" : null);
            });
        });
        // Read-only root: our processes write only to the volumes mounted at /tmp and /data.
        Assert.All(manifests.ProductContainers, x => Assert.Equal(["/data", "/tmp"], x.Container.VolumeMounts.Select(m => m.MountPath).Order()));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Images_are_pinned(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        Assert.All(manifests.Workloads.SelectMany(w => w.Pod.Containers), c => Assert.True(ImageReference.IsPinned(c.Image), $"{c.Name}: image {c.Image} has no fixed version"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Topology_spread_keeps_replicas_on_different_nodes_and_zones(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        Assert.All(manifests.ProductContainers, x => Assert.Equal(
            ["kubernetes.io/hostname", "topology.kubernetes.io/zone"],
            x.Deployment.Spec.Template.Spec.TopologySpreadConstraints.Select(t => t.TopologyKey).Order()));
    }

    private static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static void AssertSelects(IDictionary<string, string>? selector, IDictionary<string, string>? labels, string name) =>
        Assert.True(Selects(selector, labels), $"{name}: selector {string.Join(',', selector ?? new Dictionary<string, string>())} does not match its pod labels");
}
