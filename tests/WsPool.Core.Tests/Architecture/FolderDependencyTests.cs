using WsPool.Testing;

namespace WsPool.Core.Tests.Architecture;

/// <summary>
/// Issue 14, one home per concept: within a project, folders depend on each other in one direction only, so each
/// folder can be read, tested and moved without the ones that use it. `make arch-check` runs this test alone.
/// <para>
/// Expected to FAIL until the refactor of issue 14 lands: it names the cycles the sources have today (Core:
/// Balancers ↔ Rendering, Validation ↔ Rendering, Balancers ↔ Validation, and the rings through all three;
/// Operator: Kubernetes ↔ Reconciling). After that merge it must pass, and stay passing.
/// </para>
/// </summary>
public class FolderDependencyTests
{
    public static TheoryData<string> Projects => new() { "WsPool.Core", "WsPool.Operator", "WsPool.Cli", "WsPool.Load" };

    [Theory]
    [MemberData(nameof(Projects))]
    public void The_folders_of_a_project_depend_on_each_other_without_cycles(string project)
    {
        var graph = SourceFolderGraph.Of(Repository.Path("src", project), rootNamespace: project);

        var cycles = string.Concat(graph.Cycles().Select(c => $"\n  {c}"));

        cycles.Should().BeEmpty($"the folders of src/{project} must not form a cycle (each edge names one place that makes it)");
    }
}
