using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Crd;

namespace WsPool.Core.Tests.Crd;

/// <summary>How the generator maps C# shapes and attributes onto schema nodes, on small types made for the purpose.</summary>
public class TypeSchemaBuilderTests
{
    private static JsonObject SchemaOf<T>(bool withDefaults = true) where T : new() =>
        (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(
            new TypeSchemaBuilder().Build(typeof(T), withDefaults ? new T() : null, "test")))!;

    private static JsonNode Property<T>(string name) where T : new() => SchemaOf<T>()["properties"]![name]!;

    public sealed class Shapes
    {
        [JsonPropertyName("count")] public long Count { get; set; }
        [JsonPropertyName("when")] public DateTime? When { get; set; }
        [JsonPropertyName("anything")] public object? Anything { get; set; }
        [JsonPropertyName("labels")][MaxItems(5)] public Dictionary<string, string> Labels { get; set; } = [];
        [JsonPropertyName("names")][MinLength(1)][MaxLength(3)] public List<string> Names { get; set; } = [];
        [JsonPropertyName("size")] public ResourceQuantity? Size { get; set; }
        [JsonPropertyName("color")] public Color Color { get; set; } = Color.DarkRed;
        [JsonPropertyName("optional")] public int? Optional { get; set; }
        [JsonPropertyName("ratio")][Range(0.5, 2.5)] public double Ratio { get; set; } = 1;
    }

    [JsonConverter(typeof(JsonStringEnumConverter<Color>))]
    public enum Color
    {
        Green,
        [JsonStringEnumMemberName("dark-red")] DarkRed,
    }

    [Fact]
    public void Integers_times_free_form_values_and_quantities_map_to_their_openapi_spelling()
    {
        var p = SchemaOf<Shapes>()["properties"]!;
        JsonNode.DeepEquals(p["count"], JsonNode.Parse("""{"default":0,"format":"int64","type":"integer"}""")).Should().BeTrue(p["count"]!.ToJsonString());
        JsonNode.DeepEquals(p["when"], JsonNode.Parse("""{"format":"date-time","type":"string"}""")).Should().BeTrue();
        JsonNode.DeepEquals(p["anything"], JsonNode.Parse("""{"type":"object","x-kubernetes-preserve-unknown-fields":true}""")).Should().BeTrue();
        p["size"]!["x-kubernetes-int-or-string"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void Size_attributes_become_item_and_property_counts_on_lists_and_maps()
    {
        var p = SchemaOf<Shapes>()["properties"]!;
        p["names"]!["minItems"]!.GetValue<int>().Should().Be(1);
        p["names"]!["maxItems"]!.GetValue<int>().Should().Be(3);
        p["labels"]!["maxProperties"]!.GetValue<int>().Should().Be(5);
        p["labels"]!["additionalProperties"]!["type"]!.GetValue<string>().Should().Be("string");
    }

    [Fact]
    public void Empty_list_and_map_initialisers_give_no_default()
    {
        var p = SchemaOf<Shapes>()["properties"]!;
        p["names"]!.AsObject().ContainsKey("default").Should().BeFalse();
        p["labels"]!.AsObject().ContainsKey("default").Should().BeFalse();
    }

    [Fact]
    public void Enums_use_their_wire_names_and_default_by_wire_name()
    {
        var color = Property<Shapes>("color");
        color["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("Green", "dark-red");
        color["default"]!.GetValue<string>().Should().Be("dark-red");
    }

    [Fact]
    public void A_fractional_range_keeps_its_fraction_and_a_nullable_value_is_optional_without_default()
    {
        Property<Shapes>("ratio")["minimum"]!.GetValue<double>().Should().Be(0.5);
        Property<Shapes>("optional").AsObject().ContainsKey("default").Should().BeFalse();
        SchemaOf<Shapes>().ContainsKey("required").Should().BeFalse();
    }

    [Fact]
    public void Without_a_defaults_instance_nothing_gets_a_default()
    {
        CrdSchema.Walk(SchemaOf<Shapes>(withDefaults: false)).Where(n => n.Node.ContainsKey("default")).Should().BeEmpty();
    }

    public sealed class Tree
    {
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("children")] public List<Tree>? Children { get; set; }
    }

    [Fact]
    public void A_type_that_nests_itself_is_cut_off_as_free_form_at_the_cycle()
    {
        var children = Property<Tree>("children");
        children["type"]!.GetValue<string>().Should().Be("array");
        children["items"]!["x-kubernetes-preserve-unknown-fields"]!.GetValue<bool>().Should().BeTrue();
        children["items"]!["type"]!.GetValue<string>().Should().Be("object");
    }

    public sealed class NeedsName
    {
        [JsonPropertyName("name")][Required] public string Name { get; set; } = "";
    }

    [CelRule("self.low <= self.high", "low must not exceed high")]
    [Description("A holder.")]
    public sealed class Holder
    {
        [JsonPropertyName("low")] public int Low { get; set; } = 1;
        [JsonPropertyName("high")] public int High { get; set; } = 2;
        [JsonPropertyName("must")] public NeedsName Must { get; set; } = new();
        [JsonPropertyName("may")] public NeedsName? May { get; set; }
        [JsonPropertyName("inner")][Description("Inner, with its own defaults.")] public Holder2 Inner { get; set; } = new() { Level = 7 };
    }

    public sealed class Holder2
    {
        [JsonPropertyName("level")] public int Level { get; set; } = 3;
    }

    [Fact]
    public void Required_strings_are_listed_and_get_no_default_even_with_an_initialiser()
    {
        var schema = SchemaOf<NeedsName>();
        schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("name");
        schema["properties"]!["name"]!.AsObject().ContainsKey("default").Should().BeFalse();
    }

    [Fact]
    public void A_non_nullable_object_that_requires_fields_must_be_given_and_a_nullable_one_may_be_left_out()
    {
        var schema = SchemaOf<Holder>();
        schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("must");
        schema["properties"]!["must"]!.AsObject().ContainsKey("default").Should().BeFalse("{} would break its required name");
    }

    [Fact]
    public void Class_cel_rules_and_descriptions_land_on_the_object_node()
    {
        var schema = SchemaOf<Holder>();
        schema["description"]!.GetValue<string>().Should().Be("A holder.");
        var rule = schema["x-kubernetes-validations"]![0]!;
        rule["rule"]!.GetValue<string>().Should().Be("self.low <= self.high");
        rule["message"]!.GetValue<string>().Should().Be("low must not exceed high");
    }

    [Fact]
    public void Nested_defaults_come_from_the_parent_initialiser_not_from_a_fresh_object()
    {
        // Like spec.scaling.scaleDown, whose initialiser differs from a fresh ScalingRulesSpec.
        var inner = Property<Holder>("inner");
        JsonNode.DeepEquals(inner["default"], new JsonObject()).Should().BeTrue();
        inner["properties"]!["level"]!["default"]!.GetValue<int>().Should().Be(7);
        inner["description"]!.GetValue<string>().Should().Be("Inner, with its own defaults.");
    }

    public sealed class MisplacedRange
    {
        [JsonPropertyName("name")][Range(1, 5)] public string Name { get; set; } = "a";
    }

    [Fact]
    public void An_attribute_that_does_not_fit_the_shape_fails_with_the_field_path()
    {
        var build = () => SchemaOf<MisplacedRange>();
        build.Should().Throw<InvalidOperationException>().WithMessage("test.name: [Range] needs integer or number*");
    }

    public sealed class BadDefault
    {
        [JsonPropertyName("timeout")][RegularExpression(DurationAttribute.Pattern)] public string Timeout { get; set; } = "forever";
        [JsonPropertyName("replicas")][Range(1, 10)] public int Replicas { get; set; }
    }

    [Fact]
    public void A_default_that_breaks_its_own_schema_fails_with_the_field_path()
    {
        var build = () => SchemaOf<BadDefault>();
        build.Should().Throw<InvalidOperationException>().WithMessage("test.replicas: the default 0 breaks the schema: must be at least 1");
    }

    public sealed class FilledList
    {
        [JsonPropertyName("hosts")] public List<string> Hosts { get; set; } = ["a"];
    }

    [Fact]
    public void A_non_empty_list_initialiser_is_refused_rather_than_silently_dropped()
    {
        var build = () => SchemaOf<FilledList>();
        build.Should().Throw<NotSupportedException>().WithMessage("test.hosts: *");
    }

    [CelRule("!has(self.kind) || self.kind != 'B' || has(self.b)", "b is required when kind is B",
        FieldPath = ".b", Reason = CelRuleReason.FieldValueRequired,
        MessageExpression = "'b is required when kind is ' + self.kind")]
    public sealed class WithRuleDetails
    {
        [JsonPropertyName("kind")] public string Kind { get; set; } = "A";
        [JsonPropertyName("b")] public Holder2? B { get; set; }
    }

    [Fact]
    public void Message_expression_field_path_and_reason_land_on_the_rule()
    {
        var rule = SchemaOf<WithRuleDetails>()["x-kubernetes-validations"]![0]!;
        rule["fieldPath"]!.GetValue<string>().Should().Be(".b");
        rule["reason"]!.GetValue<string>().Should().Be("FieldValueRequired");
        rule["messageExpression"]!.GetValue<string>().Should().Be("'b is required when kind is ' + self.kind");
        rule["message"]!.GetValue<string>().Should().Be("b is required when kind is B");
    }

    [Fact]
    public void A_rule_without_a_reason_says_field_value_invalid_the_servers_default() =>
        SchemaOf<Holder>()["x-kubernetes-validations"]![0]!["reason"]!.GetValue<string>().Should().Be("FieldValueInvalid");

    [CelRule("self.low <= self.high", "low must not exceed high", FieldPath = ".lower")]
    public sealed class FieldPathToNowhere
    {
        [JsonPropertyName("low")] public int Low { get; set; }
        [JsonPropertyName("high")] public int High { get; set; }
    }

    [Fact]
    public void A_field_path_that_names_no_field_fails_with_the_object_path()
    {
        // The API server refuses a CRD whose fieldPath does not resolve; the generator refuses it first.
        var build = () => SchemaOf<FieldPathToNowhere>();
        build.Should().Throw<InvalidOperationException>().WithMessage("test: the fieldPath .lower of the rule self.low <= self.high does not refer to a field*");
    }

    [Theory]
    [InlineData(".low", null)]
    [InlineData("['low']", null)]
    [InlineData(".labels.anyKey", null)]
    [InlineData(".labels['a.b']", null)]
    [InlineData("low", "must start with*")]
    [InlineData(".low.deeper", "does not refer to a field*")]
    [InlineData(".items[0]", "has an unexpected*")]
    [InlineData(".", "has an empty step")]
    public void Field_paths_resolve_like_the_api_server_resolves_them(string fieldPath, string? problem)
    {
        var node = new V1JSONSchemaProps
        {
            Type = "object",
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["low"] = new() { Type = "integer" },
                ["labels"] = new() { Type = "object", AdditionalProperties = new V1JSONSchemaProps { Type = "string" } },
                ["items"] = new() { Type = "array", Items = new V1JSONSchemaProps { Type = "string" } },
            },
        };
        var result = ValidationRules.Resolve(fieldPath, node);
        if (problem is null) result.Should().BeNull();
        else result.Should().Match(problem);
    }
}
