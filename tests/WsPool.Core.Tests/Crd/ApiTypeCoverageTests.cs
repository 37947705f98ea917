using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WsPool.Core.Api;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// Seen from the C# side: every property of the API types (walked from WebSocketPool.spec and .status) has its node
/// in the schema, with the facts its attributes state. A new field shows up in the CRD without anyone listing it.
/// </summary>
public class ApiTypeCoverageTests
{
    public static TheoryData<string> ApiProperties()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in Walk(typeof(WebSocketPoolSpec), "spec").Concat(Walk(typeof(WebSocketPoolStatus), "status")))
            data.Add(path);
        return data;
    }

    [Theory]
    [MemberData(nameof(ApiProperties))]
    public void Api_property_has_a_schema_node_carrying_its_attributes(string path)
    {
        var property = Walk(typeof(WebSocketPoolSpec), "spec").Concat(Walk(typeof(WebSocketPoolStatus), "status")).Single(p => p.Path == path).Property;
        var node = CrdSchema.At(path);

        node["description"]!.GetValue<string>().Should().Be(property.GetCustomAttribute<DescriptionAttribute>()!.Description);
        if (property.GetCustomAttribute<DurationAttribute>() is not null)
            node["pattern"]!.GetValue<string>().Should().Be(DurationAttribute.Pattern);
        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } regex)
            node["pattern"]!.GetValue<string>().Should().Be(regex.Pattern);
        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            node["minimum"]!.GetValue<double>().Should().Be(Convert.ToDouble(range.Minimum));
            node["maximum"]!.GetValue<double>().Should().Be(Convert.ToDouble(range.Maximum));
        }
        if (property.GetCustomAttribute<RequiredAttribute>() is not null)
        {
            var parent = CrdSchema.At(path[..path.LastIndexOf('.')]);
            var owner = parent["type"]!.GetValue<string>() == "array" ? parent["items"]! : parent;
            owner["required"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Contain(path[(path.LastIndexOf('.') + 1)..]);
        }
    }

    [Fact]
    public void Every_api_type_property_is_described()
    {
        Walk(typeof(WebSocketPoolSpec), "spec").Concat(Walk(typeof(WebSocketPoolStatus), "status"))
            .Where(p => p.Property.GetCustomAttribute<DescriptionAttribute>() is null)
            .Select(p => p.Path).Should().BeEmpty("kubectl explain shows the [Description] of every field");
    }

    /// <summary>Dotted JSON paths of the API types' properties; list items are entered without a marker, as CrdSchema.At expects.</summary>
    private static IEnumerable<(string Path, PropertyInfo Property)> Walk(Type type, string path)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is null) continue;
            var childPath = $"{path}.{name}";
            yield return (childPath, property);

            var inner = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (inner.IsGenericType && inner.GetGenericTypeDefinition() == typeof(List<>)) inner = inner.GetGenericArguments()[0];
            if (inner.Namespace == typeof(WebSocketPool).Namespace && inner.IsClass)
                foreach (var nested in Walk(inner, childPath)) yield return nested;
        }
    }
}
