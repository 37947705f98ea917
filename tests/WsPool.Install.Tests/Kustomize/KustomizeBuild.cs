using k8s;
using k8s.Models;
using WsPool.Install.Tests.Support;

namespace WsPool.Install.Tests.Kustomize;

/// <summary>`kubectl kustomize charts/kustomize`, run once with the real kubectl, parsed strictly into model types.</summary>
public sealed class KustomizeBuild
{
    private static readonly Lazy<Task<KustomizeBuild>> Instance = new(BuildAsync);

    private KustomizeBuild(string yaml, List<object> objects)
    {
        Yaml = yaml;
        Objects = objects;
    }

    public string Yaml { get; }
    public List<object> Objects { get; }

    public static Task<KustomizeBuild> GetAsync() => Instance.Value;

    public T Single<T>() => Objects.OfType<T>().Should().ContainSingle().Subject;

    public V1Container Operator => Single<V1Deployment>().Spec.Template.Spec.Containers.Single(c => c.Name == "operator");

    private static async Task<KustomizeBuild> BuildAsync()
    {
        var result = await ToolRun.RunAsync(Tools.Path(Tools.Kubectl), ["kustomize", "charts/kustomize"], TimeSpan.FromSeconds(60), workingDirectory: Repo.Root);
        if (result.ExitCode != 0) throw new InvalidOperationException($"kubectl kustomize failed: {result.Stderr}");
        // strict: an unknown field anywhere (a typo such as readOnlyRootFileSystem) fails the parse.
        var objects = KubernetesYaml.LoadAllFromString(result.Stdout, strict: true);
        return new KustomizeBuild(result.Stdout, objects);
    }
}
