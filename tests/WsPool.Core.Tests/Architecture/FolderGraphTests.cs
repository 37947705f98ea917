namespace WsPool.Core.Tests.Architecture;

/// <summary>The cycle finder on small graphs whose cycles are known.</summary>
public class FolderGraphTests
{
    [Fact]
    public void Two_folders_using_each_other_are_a_cycle()
    {
        var graph = Graph("A→B", "B→A", "B→C");

        graph.Cycles().Select(c => c.Path).Should().Equal("A → B → A");
    }

    [Fact]
    public void Three_folders_in_a_ring_are_one_cycle_reported_once()
    {
        var graph = Graph("A→B", "B→C", "C→A", "C→D");

        graph.Cycles().Select(c => c.Path).Should().Equal("A → B → C → A");
    }

    [Fact]
    public void Every_elementary_cycle_through_a_shared_folder_is_reported()
    {
        var graph = Graph("Rendering→Balancers", "Balancers→Rendering", "Rendering→Validation", "Validation→Rendering");

        graph.Cycles().Select(c => c.Path).Should().BeEquivalentTo("Balancers → Rendering → Balancers", "Rendering → Validation → Rendering");
    }

    [Fact]
    public void A_graph_without_cycles_has_none_even_where_paths_join()
    {
        var graph = Graph("A→B", "A→C", "B→D", "C→D", "D→E");

        graph.Cycles().Should().BeEmpty();
    }

    [Fact]
    public void A_folder_using_itself_is_no_edge()
    {
        var graph = Graph("A→A");

        graph.Edges.Should().BeEmpty();
        graph.Cycles().Should().BeEmpty();
    }

    [Fact]
    public void A_cycle_names_the_example_of_each_of_its_edges()
    {
        var graph = Graph("A→B", "B→A");

        graph.Cycles().Single().ToString().Should().Be("A → B → A\n    A → B: A.cs:1 B\n    B → A: B.cs:1 A");
    }

    private static FolderGraph Graph(params string[] edges)
    {
        var graph = new FolderGraph();
        foreach (var edge in edges)
        {
            var (from, to) = (edge.Split('→')[0], edge.Split('→')[1]);
            graph.Add(new FolderEdge(from, to, $"{from}.cs:1 {to}"));
        }
        return graph;
    }
}
