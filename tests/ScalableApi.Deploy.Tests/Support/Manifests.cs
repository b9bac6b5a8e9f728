using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace ScalableApi.Deploy.Tests.Support;

/// <summary>
/// What <c>kubectl kustomize</c> renders for an overlay, as typed Kubernetes objects. deploy/k8s is copied to a
/// temporary folder first and each overlay's <c>secrets.env</c> made from its committed <c>secrets.env.example</c>,
/// the step the README asks of an operator (the real files are git-ignored). Each overlay renders once per test run.
/// </summary>
internal sealed class Manifests
{
    /// <summary>The overlays an operator applies, and prod with the optional custom-metric autoscaling component.</summary>
    public const string Dev = "dev";
    public const string Prod = "prod";
    public const string ProdWithRequestsPerSecond = "prod+requests-per-second-hpa";

    private static readonly ConcurrentDictionary<string, Lazy<Task<Manifests>>> Rendered = new();
    private static readonly Lazy<string> Copy = new(CopyTree);

    private Manifests(string name, string yaml, IReadOnlyList<object> objects)
    {
        Name = name;
        Yaml = yaml;
        Objects = objects;
    }

    public static TheoryData<string> Overlays => [Dev, Prod, ProdWithRequestsPerSecond];

    public string Name { get; }

    public string Yaml { get; }

    public IReadOnlyList<object> Objects { get; }

    public IEnumerable<T> OfType<T>() => Objects.OfType<T>();

    public IEnumerable<V1Deployment> Deployments => OfType<V1Deployment>();

    /// <summary>Deployments and StatefulSets: name, pod template labels, pod spec.</summary>
    public IEnumerable<(string Kind, string Name, IDictionary<string, string> Labels, V1PodSpec Pod)> Workloads =>
        Deployments.Select(d => ("Deployment", d.Metadata.Name, d.Spec.Template.Metadata.Labels, d.Spec.Template.Spec))
            .Concat(OfType<V1StatefulSet>().Select(s => ("StatefulSet", s.Metadata.Name, s.Spec.Template.Metadata.Labels, s.Spec.Template.Spec)));

    /// <summary>Our own processes (images built from deploy/docker), not the dev overlay's PostgreSQL and Redis.</summary>
    public IEnumerable<(V1Deployment Deployment, V1Container Container)> ProductContainers =>
        Deployments.SelectMany(d => d.Spec.Template.Spec.Containers.Select(c => (d, c))).Where(x => x.c.Image.StartsWith("scalableapi/", StringComparison.Ordinal));

    public static Task<Manifests> RenderAsync(string overlay) =>
        Rendered.GetOrAdd(overlay, o => new Lazy<Task<Manifests>>(() => LoadAsync(o))).Value;

    private static async Task<Manifests> LoadAsync(string overlay)
    {
        var directory = overlay == ProdWithRequestsPerSecond ? ComposeComponent() : Path.Combine(Copy.Value, "overlays", overlay);
        string yaml;
        try
        {
            yaml = await Tool.RunAsync("kubectl", ["kustomize", directory]);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is not on PATH: it renders the overlays (.ci/run installs it where a package offers it)", e);
        }

        // Strict: an unknown or misspelt field is an error, as the API server's strict field validation would make it.
        var objects = KubernetesYaml.LoadAllFromString(yaml, strict: true);
        return new Manifests(overlay, yaml, objects);
    }

    // A kustomization of the operator's kind: prod plus the component, as the component's comment says to add it.
    private static string ComposeComponent()
    {
        var directory = Path.Combine(Copy.Value, "overlays", "prod-requests-per-second");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "kustomization.yaml"), """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - ../prod
            components:
              - ../../components/requests-per-second-hpa
            """);
        return directory;
    }

    private static string CopyTree()
    {
        var target = Path.Combine(Path.GetTempPath(), "scalableapi-deploy-tests", Guid.NewGuid().ToString("N"), "k8s");
        var source = Repository.PathOf("deploy/k8s");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (Path.GetFileName(file) == "secrets.env")
            {
                continue; // an operator's own file must not change what the tests see
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
            if (relative.EndsWith("secrets.env.example", StringComparison.Ordinal))
            {
                File.Copy(file, destination[..^".example".Length]);
            }
        }

        return target;
    }
}
