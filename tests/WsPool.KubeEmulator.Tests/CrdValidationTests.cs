using System.Net;
using static WsPool.KubeEmulator.Tests.RawApi;

namespace WsPool.KubeEmulator.Tests;

/// <summary>
/// What the API server refuses in a CustomResourceDefinition, from the Kubernetes documentation ("Specifying a
/// structural schema", "Defaulting", "Validation rules") and apiextensions-apiserver's validation: 422 with one cause
/// per problem, fields under spec.validation.openAPIV3Schema when all versions share the schema.
/// </summary>
public sealed class CrdValidationTests
{
    private const string AffinityWithDefault = """
        "affinity":{"type":"object","default":{},
          "properties":{"type":{"type":"string","default":"Cookie"},"queryParam":{"type":"string"}},
          "x-kubernetes-validations":[{"rule":"RULE","message":"queryParam is required when type is QueryParam"}]}
        """;

    private static async Task<(KubeApiEmulator Api, RawApi Raw)> Start()
    {
        var api = await KubeApiEmulator.StartAsync();
        return (api, new RawApi(api));
    }

    [Fact]
    public async Task Crd_whose_default_breaks_its_own_rule_is_rejected_with_the_default_path()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;
        var schema = Root(AffinityWithDefault.Replace("RULE", "self.type != 'QueryParam' || has(self.queryParam)"));

        var answer = await raw.CreateCrd(schema);

        answer.Code.Should().Be(HttpStatusCode.UnprocessableEntity);
        answer.Body["reason"]!.GetValue<string>().Should().Be("Invalid");
        answer.CauseTexts.Should().Equal(
            "spec.validation.openAPIV3Schema.properties[spec].properties[affinity].default: Invalid value: \"object\": no such key: type evaluating rule: queryParam is required when type is QueryParam");
        answer.Message.Should().Be(
            "CustomResourceDefinition.apiextensions.k8s.io \"things.example.com\" is invalid: spec.validation.openAPIV3Schema.properties[spec].properties[affinity].default: Invalid value: \"object\": no such key: type evaluating rule: queryParam is required when type is QueryParam");
        api.Resources.Find("example.com", "v1", "things").Should().BeNull("a refused CRD is not served");
    }

    [Fact]
    public async Task Crd_whose_default_keeps_its_guarded_rule_is_accepted()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd(Root(AffinityWithDefault.Replace("RULE", "!has(self.type) || self.type != 'QueryParam' || has(self.queryParam)")));

        answer.Code.Should().Be(HttpStatusCode.Created, answer.Body.ToJsonString());
    }

    [Fact]
    public async Task Crd_field_without_a_type_is_rejected_as_not_structural()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd(Root("""  "x":{"description":"no type"}  """));

        answer.Code.Should().Be(HttpStatusCode.UnprocessableEntity);
        answer.CauseTexts.Should().Equal("spec.validation.openAPIV3Schema.properties[spec].properties[x].type: Required value: must not be empty for specified object fields");
        answer.Causes[0]!["reason"]!.GetValue<string>().Should().Be("FieldValueRequired");
    }

    [Fact]
    public async Task Crd_with_properties_and_additional_properties_on_one_node_is_rejected()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd(Root("""  "x":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"string"}}  """));

        answer.CauseTexts.Should().Contain("spec.validation.openAPIV3Schema.properties[spec].properties[x].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive");
    }

    [Fact]
    public async Task Crd_default_of_the_wrong_type_is_rejected()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd(Root("""  "n":{"type":"integer","default":"three"}  """));

        answer.CauseTexts.Should().Equal(
            "spec.validation.openAPIV3Schema.properties[spec].properties[n].default: Invalid value: \"string\":  in body must be of type integer: \"string\"");
    }

    [Fact]
    public async Task Crd_default_with_an_unknown_field_is_rejected()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd(Root("""  "o":{"type":"object","default":{"a":"x","b":"y"},"properties":{"a":{"type":"string"}}}  """));

        answer.CauseTexts.Should().Equal(
            "spec.validation.openAPIV3Schema.properties[spec].properties[o].default: Invalid value: {\"a\":\"x\",\"b\":\"y\"}: must not have unknown fields");
    }

    [Fact]
    public async Task Crd_rule_that_does_not_parse_is_rejected_with_the_compiler_message()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd(Root("""  "n":{"type":"integer"}  """, ""","x-kubernetes-validations":[{"rule":"self.n <= ","message":"m"}]"""));

        answer.Code.Should().Be(HttpStatusCode.UnprocessableEntity);
        var cause = answer.CauseTexts.Should().ContainSingle().Subject;
        cause.Should().StartWith("spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: " +
            "{\"Rule\":\"self.n \\u003c= \",\"Message\":\"m\",\"MessageExpression\":\"\",\"Reason\":null,\"FieldPath\":\"\",\"OptionalOldSelf\":null}: " +
            "compilation failed: ERROR: <input>:1:11: Syntax error: mismatched input '<EOF>'");
    }

    [Fact]
    public async Task Crd_rule_reading_an_undeclared_field_is_rejected()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd(Root("""  "n":{"type":"integer"}  """, ""","x-kubernetes-validations":[{"rule":"self.m > 0"}]"""));

        answer.CauseTexts.Should().ContainSingle().Which.Should().EndWith("compilation failed: ERROR: <input>:1:5: undefined field 'm'\n | self.m > 0\n | ....^");
    }

    [Fact]
    public async Task Crd_rule_calling_an_unknown_function_is_rejected()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd(Root("""  "s":{"type":"string"}  """, ""","x-kubernetes-validations":[{"rule":"self.s.shout() == 'A'"}]"""));

        answer.CauseTexts.Should().ContainSingle().Which.Should().Contain("undeclared reference to 'shout' (in container '')");
    }

    [Fact]
    public async Task Crd_list_map_key_that_is_neither_required_nor_defaulted_is_rejected()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd(Root("""
              "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                "items":{"type":"object","properties":{"name":{"type":"string"}}}}
            """));

        answer.CauseTexts.Should().Equal(
            "spec.validation.openAPIV3Schema.properties[spec].properties[ports].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property");
    }

    [Fact]
    public async Task Crd_root_metadata_restricting_more_than_name_is_rejected()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}}}}""");

        answer.CauseTexts.Should().Contain("spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified");
    }

    [Fact]
    public async Task Crd_rule_with_an_unsupported_reason_is_rejected()
    {
        var (api, raw) = await Start();
        await using var _ = api;
        using var __ = raw;

        var answer = await raw.CreateCrd(Root("""  "n":{"type":"integer"}  """, ""","x-kubernetes-validations":[{"rule":"true","reason":"Nope"}]"""));

        answer.CauseTexts.Should().Equal(
            "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].reason: Unsupported value: \"Nope\": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\"");
    }
}
