namespace WsPool.Core.Tests.Crd;

/// <summary>A fact that needs the kubectl client; skipped with a message where it is not installed.</summary>
public sealed class RequiresKubectlFactAttribute : FactAttribute
{
    public RequiresKubectlFactAttribute()
    {
        if (Kubectl.Path is null) Skip = "kubectl is not installed (looked on PATH); install the kubectl client to run this test";
    }
}
