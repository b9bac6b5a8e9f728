using k8s.Models;
using ScalableApi.Deploy.Tests.Support;

namespace ScalableApi.Deploy.Tests.Kubernetes;

/// <summary>
/// Who may talk to whom, evaluated from the rendered NetworkPolicies (they add up: a pod accepts what any policy
/// selecting it allows): only the gateway reaches the services, and each service reaches only its database and the store.
/// </summary>
public sealed class NetworkPolicyTests
{
    private const string Role = "scalableapi.io/role";
    private const int Http = 8080;
    private const int MetricsPort = 9090;

    public static TheoryData<string> Overlays => Manifests.Overlays;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_pod_starts_from_deny_all(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        var denyAll = Assert.Single(manifests.OfType<V1NetworkPolicy>(), p => p.Spec.Ingress is null && p.Spec.Egress is null);
        Assert.Equal(["Egress", "Ingress"], denyAll.Spec.PolicyTypes.Order());
        Assert.All(manifests.Workloads, w => Assert.True(Selects(denyAll.Spec.PodSelector, w.Labels), $"{w.Name} is outside the deny-all policy"));
        Assert.All(manifests.Workloads, w => Assert.Contains(Policies(manifests, w.Labels), p => p != denyAll));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Only_the_gateway_reaches_the_services(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        foreach (var service in Services(manifests))
        {
            // users also serves the other services its public keys (JWKS).
            string[] allowed = service.Name == "users" ? ["gateway", "users", "catalog", "content"] : ["gateway"];
            foreach (var rule in Policies(manifests, service.Labels).SelectMany(p => p.Spec.Ingress ?? []))
            {
                var ports = rule.Ports.Select(p => int.Parse(p.Port.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.NotNull(rule.FromProperty); // never "from anywhere"
                if (ports.SequenceEqual([MetricsPort]))
                {
                    // Prometheus (the monitoring namespace) and the gateway's dashboard scraper, nobody else.
                    Assert.All(rule.FromProperty, peer => Assert.True(
                        (peer.NamespaceSelector?.MatchLabels is { } ns && ns.TryGetValue("kubernetes.io/metadata.name", out var name) && name == "monitoring")
                        || (peer.NamespaceSelector is null && peer.IpBlock is null
                            && manifests.Workloads.Where(w => Selects(peer.PodSelector, w.Labels)).Select(w => w.Name).SequenceEqual(["gateway"])),
                        $"{service.Name}: metrics port open to a peer other than monitoring or the gateway"));
                    continue;
                }

                Assert.Equal([Http], ports);
                Assert.All(rule.FromProperty, peer =>
                {
                    Assert.True(peer.IpBlock is null && peer.NamespaceSelector is null, $"{service.Name}: ingress from outside the namespace");
                    var from = manifests.Workloads.Where(w => Selects(peer.PodSelector, w.Labels)).Select(w => w.Name).ToList();
                    Assert.NotEmpty(from);
                    Assert.Subset(allowed.ToHashSet(), from.ToHashSet());
                });
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Services_reach_only_their_database_the_store_dns_and_the_keys(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);

        foreach (var service in Services(manifests))
        {
            var egress = Policies(manifests, service.Labels).SelectMany(p => p.Spec.Egress ?? []).ToList();
            Assert.NotEmpty(egress);
            foreach (var rule in egress)
            {
                Assert.NotNull(rule.To); // never "to anywhere"
                var ports = rule.Ports.Select(p => p.Port.Value).Order().ToList();
                var peer = Assert.Single(rule.To);
                var labels = peer.PodSelector?.MatchLabels ?? new Dictionary<string, string>();
                var target = (labels.Keys.Single(), labels.Values.Single(), string.Join(',', ports));
                var allowed = new List<(string, string, string)>
                {
                    ($"scalableapi.io/database-{service.Name}", "true", "5432"),
                    ("scalableapi.io/store", "true", "6379"),
                    ("k8s-app", "kube-dns", "53,53"),
                };
                if (service.Name != "users")
                {
                    allowed.Add(("app.kubernetes.io/name", "users", "8080"));
                }

                Assert.Contains(target, allowed);
                if (target.Item1 == "k8s-app")
                {
                    Assert.Equal("kube-system", peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
                }
            }
        }

        // Where the overlay runs its own data stores, the labels select exactly them.
        foreach (var (label, workload) in new[] { ("scalableapi.io/database-catalog", "postgres"), ("scalableapi.io/store", "redis") })
        {
            var selected = manifests.Workloads.Where(w => w.Labels.ContainsKey(label)).Select(w => w.Name).ToList();
            Assert.True(selected.Count == 0 || selected.SequenceEqual([workload]), $"{label} selects {string.Join(',', selected)}");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_accepts_clients_and_reaches_only_services_the_store_and_dns(string overlay)
    {
        var manifests = await Manifests.RenderAsync(overlay);
        var gateway = manifests.Workloads.Single(w => w.Name == "gateway");

        var policies = Policies(manifests, gateway.Labels).ToList();
        Assert.Contains(policies.SelectMany(p => p.Spec.Ingress ?? []), r => r.FromProperty is null && r.Ports.Single().Port.Value == "8080");
        var reached = policies.SelectMany(p => p.Spec.Egress ?? []).SelectMany(r => r.To)
            .SelectMany(peer => manifests.Workloads.Where(w => peer.NamespaceSelector is null && Selects(peer.PodSelector, w.Labels)).Select(w => w.Name))
            .ToHashSet();
        Assert.Superset(new HashSet<string> { "users", "catalog", "content" }, reached);
        Assert.Subset(new HashSet<string> { "users", "catalog", "content", "redis" }, reached);
    }

    private static IEnumerable<(string Name, IDictionary<string, string> Labels)> Services(Manifests manifests) =>
        manifests.Workloads.Where(w => w.Labels.TryGetValue(Role, out var role) && role == "service").Select(w => (w.Name, w.Labels));

    private static IEnumerable<V1NetworkPolicy> Policies(Manifests manifests, IDictionary<string, string> labels) =>
        manifests.OfType<V1NetworkPolicy>().Where(p => Selects(p.Spec.PodSelector, labels));

    private static bool Selects(V1LabelSelector? selector, IDictionary<string, string> labels) =>
        selector is not null && (selector.MatchLabels ?? new Dictionary<string, string>()).All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value)
        && selector.MatchExpressions is null;
}
