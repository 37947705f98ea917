using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Tables;

namespace WsPool.KubeEmulator.Tests;

/// <summary>
/// A printer column's value turned into a cell by the column's type; each expectation is what apiextensions-apiserver
/// 1.36 answered for the same value and type.
/// </summary>
public sealed class ColumnCellTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 20, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("string", "\"web\"", "\"web\"")]
    [InlineData("string", "5", "\"5\"")]
    [InlineData("string", "1.5", "\"1.5\"")]
    [InlineData("string", "false", "\"false\"")]
    [InlineData("string", "[1,\"x\",{\"k\":2}]", "\"[1,\\\"x\\\",{\\\"k\\\":2}]\"")]
    [InlineData("string", "{\"y\":\"q\",\"x\":1}", "\"{\\\"x\\\":1,\\\"y\\\":\\\"q\\\"}\"")]
    [InlineData("string", "\"\"", "\"\"")]
    [InlineData("integer", "3.9", "3")]
    [InlineData("integer", "9007199254740993", "9007199254740993")]
    [InlineData("integer", "\"7\"", "null")]
    [InlineData("number", "5", "5")]
    [InlineData("number", "2.5", "2.5")]
    [InlineData("boolean", "true", "true")]
    [InlineData("boolean", "\"hello\"", "null")]
    [InlineData("date", "\"2026-12-05T08:00:00Z\"", "\"80m\"")]
    [InlineData("date", "\"7\"", "\"<invalid>\"")]
    [InlineData("date", "7", "null")]
    [InlineData("string", "null", "null")]
    public void A_value_becomes_the_cell_the_server_sends_for_its_column_type(string type, string value, string expected)
    {
        var cell = ColumnCell.For(type, JsonNode.Parse(value), Now);

        JsonNode.DeepEquals(cell, JsonNode.Parse(expected)).Should().BeTrue($"{type} {value} gives {expected}, not {cell?.ToJsonString() ?? "null"}");
    }

    [Fact]
    public void An_absent_value_is_a_null_cell() => ColumnCell.For("integer", null, Now).Should().BeNull();
}
