using k8s;
using k8s.Models;
using ScalableApi.Deploy.Tests.Support;

namespace ScalableApi.Deploy.Tests.Kubernetes;

/// <summary>Every overlay renders with kustomize and every object in it is a valid Kubernetes object (strictly).</summary>
public sealed class RenderingTests
{
    public static TheoryData<string> Overlays => Manifests.Overlays;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Overlay_renders_and_every_object_loads_strictly(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        var documents = manifests.Yaml.Split("\n---\n").Length;
        Assert.Equal(documents, manifests.Objects.Count);
        Assert.All(manifests.Objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o));
        var kinds = manifests.Objects.Cast<IKubernetesObject>().Select(o => o.Kind).ToHashSet();
        Assert.Superset(new HashSet<string> { "Namespace", "ConfigMap", "Secret", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy" }, kinds);
        Assert.Equal(["catalog", "content", "gateway", "users"], manifests.ProductContainers.Select(x => x.Deployment.Metadata.Name).Order());
    }

    [Fact]
    public void Strict_loading_rejects_a_misspelt_field()
    {
        // What the rendering test relies on: a typo is an error, not a field silently dropped.
        const string Typo = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: x
            spec:
              replica: 2
            """;

        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(Typo, strict: true));
        Assert.IsType<V1Deployment>(Assert.Single(KubernetesYaml.LoadAllFromString(Typo.Replace("replica:", "replicas:", StringComparison.Ordinal), strict: true)));
    }

    [Fact]
    public async Task Overlays_differ_where_they_should()
    {
        var dev = await Manifests.RenderAsync(Manifests.Dev);
        var prod = await Manifests.RenderAsync(Manifests.Prod);

        Assert.All(dev.Deployments, d => Assert.Equal(1, d.Spec.Replicas));
        Assert.All(prod.Deployments, d => Assert.Equal(3, d.Spec.Replicas));
        Assert.All(prod.OfType<V2HorizontalPodAutoscaler>(), h => Assert.Equal((3, 20), (h.Spec.MinReplicas, h.Spec.MaxReplicas)));
        Assert.All(dev.Objects.Cast<IKubernetesObject<V1ObjectMeta>>().Where(o => o.Kind != "Namespace"), o => Assert.Equal("scalableapi-dev", o.Metadata.NamespaceProperty));
        Assert.All(prod.Objects.Cast<IKubernetesObject<V1ObjectMeta>>().Where(o => o.Kind != "Namespace"), o => Assert.Equal("scalableapi", o.Metadata.NamespaceProperty));
        // Dev brings its own PostgreSQL and Redis; prod uses the operator's.
        Assert.Equal(["postgres", "redis"], dev.OfType<V1StatefulSet>().Select(s => s.Metadata.Name).Order());
        Assert.Empty(prod.OfType<V1StatefulSet>());
    }

    [Fact]
    public async Task The_custom_metric_component_adds_requests_per_second_to_the_gateway_autoscaler()
    {
        var manifests = await Manifests.RenderAsync(Manifests.ProdWithRequestsPerSecond);

        var gateway = Assert.Single(manifests.OfType<V2HorizontalPodAutoscaler>(), h => h.Metadata.Name == "gateway");
        Assert.Contains(gateway.Spec.Metrics, m => m.Type == "Resource" && m.Resource.Name == "cpu");
        var custom = Assert.Single(gateway.Spec.Metrics, m => m.Type == "Pods");
        Assert.Equal("http_requests_per_second", custom.Pods.Metric.Name);
        // The adapter rule that produces it reads a series the product exports (checked against /metrics elsewhere).
        var rules = YamlJson.Parse(Repository.Read("deploy/k8s/components/requests-per-second-hpa/prometheus-adapter-rules.yaml"))!;
        Assert.Equal("http_requests_per_second", rules["rules"]!["custom"]![0]!["name"]!["as"]!.GetValue<string>());
    }
}
