using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Tables;

namespace WsPool.KubeEmulator.Tests;

/// <summary>The JSONPath subset printer columns are evaluated with: dotted fields and array indexes.</summary>
public sealed class ColumnPathTests
{
    private static readonly JsonNode Object = JsonNode.Parse("""
        {"spec":{"items":[{"name":"a"},{"name":"b"}],"obj":{"a":{"b":"deep"}}},"status":{"rollout":{"phase":"Draining"}}}
        """)!;

    [Theory]
    [InlineData(".status.rollout.phase", "Draining")]
    [InlineData(".spec.obj.a.b", "deep")]
    [InlineData(".spec.items[0].name", "a")]
    [InlineData(".spec.items[-1].name", "b")]
    [InlineData("$.spec.items[1].name", "b")]
    public void A_path_finds_the_value_it_names(string path, string expected) =>
        ColumnPath.Parse(path)!.Find(Object)!.GetValue<string>().Should().Be(expected);

    [Theory]
    [InlineData(".status.missing.phase")]
    [InlineData(".spec.items[5].name")]
    [InlineData(".spec.obj[0]")]
    [InlineData(".spec.items.name")]
    public void A_path_through_something_absent_finds_nothing(string path) => ColumnPath.Parse(path)!.Find(Object).Should().BeNull();

    [Theory]
    [InlineData(".spec.items[*].name")]
    [InlineData(".spec.items[?(@.name==\"a\")].name")]
    [InlineData("..name")]
    [InlineData(".spec.items[0:1]")]
    [InlineData("")]
    public void A_path_beyond_fields_and_indexes_is_not_evaluated(string path) => ColumnPath.Parse(path).Should().BeNull();
}
