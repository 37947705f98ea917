using System.Net;
using System.Text.Json.Nodes;
using static WsPool.KubeEmulator.Tests.RawApi;

namespace WsPool.KubeEmulator.Tests;

/// <summary>
/// Custom resources meet their CRD's schema as the API server applies it (documentation: "Validation", "Defaulting",
/// "Pruning versus preserving unknown fields", "Field validation", "Validation rules", "Validation ratcheting"), with the
/// server's 422 Status and messages.
/// </summary>
public sealed class CustomResourceValidationTests : IAsyncLifetime
{
    private const string Schema = """
        "replicas":{"type":"integer","minimum":0,"maximum":10},
        "mode":{"type":"string","enum":["Fast","Safe"],"default":"Safe"},
        "name":{"type":"string","maxLength":5,"pattern":"^[a-z]+$"},
        "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
        "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
        "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
          "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"port":{"type":"integer","default":80}}}},
        "limits":{"type":"object","default":{"min":1,"max":3},"properties":{"min":{"type":"integer","default":1},"max":{"type":"integer","default":3}},
          "x-kubernetes-validations":[{"rule":"self.min <= self.max","message":"min must not exceed max"}]},
        "size":{"type":"integer","x-kubernetes-validations":[{"rule":"self >= oldSelf","message":"size may not shrink"}]},
        "kind":{"type":"string"},
        "query":{"type":"string"},
        "ttl":{"type":"object","properties":{"unit":{"type":"string"},"value":{"type":"integer"}},
          "x-kubernetes-validations":[{"rule":"self.unit == 's' || self.value < 60","message":"value must be under 60 unless unit is s"}]}
        """;

    private const string SpecRules = ""","required":["replicas"],"x-kubernetes-validations":[{"rule":"!has(self.kind) || self.kind != 'Query' || has(self.query)","message":"query is required for kind Query","fieldPath":".query"},{"rule":"!has(self.query) || self.query.startsWith('/')","messageExpression":"'query must start with a slash, got ' + self.query"}]""";

    private KubeApiEmulator _api = null!;
    private RawApi _raw = null!;

    public async Task InitializeAsync()
    {
        _api = await KubeApiEmulator.StartAsync();
        _raw = new RawApi(_api);
        await _raw.InstallCrd(Root(Schema, SpecRules));
    }

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _api.DisposeAsync();
    }

    private Task<Answer> Create(string spec, string query = "", string name = "t") => _raw.Post(ThingsPath, Thing(name, spec), query);

    private static void ShouldBeInvalid(Answer answer, params string[] causes)
    {
        answer.Code.Should().Be(HttpStatusCode.UnprocessableEntity, answer.Body.ToJsonString());
        answer.CauseTexts.Should().Equal(causes);
    }

    [Fact]
    public async Task Valid_object_is_created_with_nested_defaults_applied()
    {
        var answer = await Create("""{"replicas":1,"ports":[{"name":"ws"}]}""");

        answer.Code.Should().Be(HttpStatusCode.Created, answer.Body.ToJsonString());
        var spec = answer.Body["spec"]!;
        spec["mode"]!.GetValue<string>().Should().Be("Safe");
        JsonNode.DeepEquals(spec["limits"], JsonNode.Parse("""{"min":1,"max":3}""")).Should().BeTrue(spec.ToJsonString());
        spec["ports"]![0]!["port"]!.GetValue<int>().Should().Be(80);
    }

    [Fact]
    public async Task Unknown_field_is_pruned_with_a_warning_header()
    {
        var answer = await Create("""{"replicas":1,"bogus":true,"limits":{"extra":1}}""");

        answer.Code.Should().Be(HttpStatusCode.Created);
        answer.Body["spec"]!.AsObject().ContainsKey("bogus").Should().BeFalse();
        answer.Warnings.Should().Equal("299 - \"unknown field \\\"spec.bogus\\\"\"", "299 - \"unknown field \\\"spec.limits.extra\\\"\"");
    }

    [Fact]
    public async Task Strict_field_validation_rejects_an_unknown_field()
    {
        var answer = await Create("""{"replicas":1,"bogus":true}""", "?fieldValidation=Strict");

        answer.Code.Should().Be(HttpStatusCode.BadRequest);
        answer.Body["reason"]!.GetValue<string>().Should().Be("BadRequest");
        answer.Message.Should().Be("strict decoding error: unknown field \"spec.bogus\"");
        (await _raw.Get(ThingsPath + "/t")).Code.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Ignore_field_validation_prunes_without_a_warning()
    {
        var answer = await Create("""{"replicas":1,"bogus":true}""", "?fieldValidation=Ignore");

        answer.Code.Should().Be(HttpStatusCode.Created);
        answer.Warnings.Should().BeEmpty();
        answer.Body["spec"]!.AsObject().ContainsKey("bogus").Should().BeFalse();
    }

    [Fact]
    public async Task Strict_merge_patch_with_an_unknown_field_is_invalid_on_the_patch()
    {
        (await Create("""{"replicas":1}""")).Code.Should().Be(HttpStatusCode.Created);

        var answer = await _raw.MergePatch(ThingsPath + "/t", """{"spec":{"bogus":1}}""", "?fieldValidation=Strict");

        answer.Code.Should().Be(HttpStatusCode.UnprocessableEntity);
        answer.Causes.Should().ContainSingle();
        answer.Causes[0]!["field"]!.GetValue<string>().Should().Be("patch");
        answer.Causes[0]!["message"]!.GetValue<string>().Should().EndWith(": strict decoding error: unknown field \"spec.bogus\"");
    }

    [Fact]
    public async Task Wrong_type_is_rejected_without_coercion()
    {
        ShouldBeInvalid(await Create("""{"replicas":"3"}"""),
            "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
            "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
    }

    [Fact]
    public async Task Value_outside_the_enum_is_an_unsupported_value()
    {
        ShouldBeInvalid(await Create("""{"replicas":1,"mode":"Slow"}"""),
            "spec.mode: Unsupported value: \"Slow\": supported values: \"Fast\", \"Safe\"",
            "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
    }

    [Fact]
    public async Task String_not_matching_the_pattern_names_the_pattern()
    {
        ShouldBeInvalid(await Create("""{"replicas":1,"name":"Ab"}"""),
            "spec.name: Invalid value: \"Ab\": spec.name in body should match '^[a-z]+$'");
    }

    [Fact]
    public async Task Too_long_string_is_too_long()
    {
        ShouldBeInvalid(await Create("""{"replicas":1,"name":"abcdefg"}"""), "spec.name: Too long: may not be more than 5 bytes",
            "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
    }

    [Fact]
    public async Task Number_above_the_maximum_is_rejected()
    {
        ShouldBeInvalid(await Create("""{"replicas":11}"""),
            "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
    }

    [Fact]
    public async Task Missing_required_field_is_a_required_value()
    {
        var answer = await Create("""{"mode":"Fast"}""");

        ShouldBeInvalid(answer, "spec.replicas: Required value",
            "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
        answer.Causes[0]!["reason"]!.GetValue<string>().Should().Be("FieldValueRequired");
    }

    [Fact]
    public async Task Int_or_string_accepts_both_and_refuses_a_boolean()
    {
        (await Create("""{"replicas":1,"port":8080}""", name: "a")).Code.Should().Be(HttpStatusCode.Created);
        (await Create("""{"replicas":1,"port":"http"}""", name: "b")).Code.Should().Be(HttpStatusCode.Created);
        var answer = await Create("""{"replicas":1,"port":true}""", name: "c");

        answer.Code.Should().Be(HttpStatusCode.UnprocessableEntity);
        answer.CauseTexts.First().Should().Be("spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"");
    }

    [Fact]
    public async Task Cel_rule_failure_reports_its_message_at_the_node()
    {
        ShouldBeInvalid(await Create("""{"replicas":1,"limits":{"min":5,"max":2}}"""),
            "spec.limits: Invalid value: min must not exceed max");
    }

    [Fact]
    public async Task Rule_with_a_field_path_reports_at_that_field()
    {
        ShouldBeInvalid(await Create("""{"replicas":1,"kind":"Query"}"""), "spec.query: Invalid value: query is required for kind Query");
    }

    [Fact]
    public async Task Message_expression_builds_the_message_from_the_object()
    {
        ShouldBeInvalid(await Create("""{"replicas":1,"query":"x"}"""), "spec: Invalid value: query must start with a slash, got x");
    }

    [Fact]
    public async Task Rule_reading_an_absent_field_reports_no_such_key()
    {
        ShouldBeInvalid(await Create("""{"replicas":1,"ttl":{"value":90}}"""),
            "spec.ttl: Invalid value: \"object\": no such key: unit evaluating rule: value must be under 60 unless unit is s");
    }

    [Fact]
    public async Task Transition_rule_sees_oldSelf_on_update()
    {
        (await Create("""{"replicas":1,"size":5}""")).Code.Should().Be(HttpStatusCode.Created, "a transition rule does not run on create");

        var grow = await _raw.MergePatch(ThingsPath + "/t", """{"spec":{"size":7}}""");
        var shrink = await _raw.MergePatch(ThingsPath + "/t", """{"spec":{"size":6}}""");

        grow.Code.Should().Be(HttpStatusCode.OK);
        ShouldBeInvalid(shrink, "spec.size: Invalid value: 6: size may not shrink");
    }

    [Fact]
    public async Task Duplicate_list_map_key_is_rejected()
    {
        ShouldBeInvalid(await Create("""{"replicas":1,"ports":[{"name":"ws"},{"name":"admin"},{"name":"ws","port":81}]}"""),
            "spec.ports[2]: Duplicate value: {\"name\":\"ws\"}");
    }

    [Fact]
    public async Task Duplicate_set_item_is_rejected()
    {
        var answer = await Create("""{"replicas":1,"tags":["a","b","a"]}""");

        ShouldBeInvalid(answer, "spec.tags[2]: Duplicate value: \"a\"");
        answer.Causes[0]!["reason"]!.GetValue<string>().Should().Be("FieldValueDuplicate");
    }

    [Fact]
    public async Task All_errors_are_reported_at_once()
    {
        var answer = await Create("""{"replicas":11,"mode":"Slow","name":"Ab"}""");

        answer.Code.Should().Be(HttpStatusCode.UnprocessableEntity);
        answer.Body["status"]!.GetValue<string>().Should().Be("Failure");
        answer.Body["code"]!.GetValue<int>().Should().Be(422);
        answer.Body["details"]!["name"]!.GetValue<string>().Should().Be("t");
        answer.Body["details"]!["group"]!.GetValue<string>().Should().Be("example.com");
        answer.Body["details"]!["kind"]!.GetValue<string>().Should().Be("Thing");
        answer.Causes.Select(c => c!["reason"]!.GetValue<string>()).Should().Equal(
            "FieldValueInvalid", "FieldValueNotSupported", "FieldValueInvalid", "FieldValueInvalid");
        answer.Message.Should().Be("Thing.example.com \"t\" is invalid: [" +
            "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10, " +
            "spec.mode: Unsupported value: \"Slow\": supported values: \"Fast\", \"Safe\", " +
            "spec.name: Invalid value: \"Ab\": spec.name in body should match '^[a-z]+$', " +
            "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]");
    }

    [Fact]
    public async Task Status_subresource_write_is_validated_under_status()
    {
        var created = await Create("""{"replicas":1}""");
        var obj = created.Body;
        obj["status"] = JsonNode.Parse("""{"phase":"Lost","count":-1}""");

        var answer = await _raw.Put(ThingsPath + "/t/status", obj.ToJsonString());

        ShouldBeInvalid(answer,
            "status.phase: Unsupported value: \"Lost\": supported values: \"Ready\", \"Failed\"",
            "status.count: Invalid value: -1: count in body should be greater than or equal to 0",
            "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
    }

    [Fact]
    public async Task Apply_with_an_undeclared_field_fails_before_merging()
    {
        var answer = await _raw.Apply(ThingsPath + "/t", Thing("t", """{"replicas":1,"bogus":1}"""));

        answer.Code.Should().Be(HttpStatusCode.InternalServerError);
        answer.Message.Should().Be("failed to create typed patch object (default/t; example.com/v1, Kind=Thing): .spec.bogus: field not declared in schema");
    }

    [Fact]
    public async Task Unchanged_invalid_value_is_ratcheted_on_update()
    {
        (await Create("""{"replicas":1,"name":"abc"}""")).Code.Should().Be(HttpStatusCode.Created);
        // tighten the schema: name may now be at most 2 characters
        var crd = await _raw.Get(CrdPath + "/things.example.com");
        crd.Body["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["name"]!["maxLength"] = 2;
        (await _raw.Put(CrdPath + "/things.example.com", crd.Body.ToJsonString())).Code.Should().Be(HttpStatusCode.OK);

        var other = await _raw.MergePatch(ThingsPath + "/t", """{"spec":{"replicas":2}}""");
        var same = await _raw.MergePatch(ThingsPath + "/t", """{"spec":{"name":"abcd"}}""");

        other.Code.Should().Be(HttpStatusCode.OK, "the unchanged name is not judged again");
        ShouldBeInvalid(same, "spec.name: Too long: may not be more than 2 bytes",
            "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
    }

    [Fact]
    public async Task Default_added_by_a_crd_update_appears_on_read()
    {
        (await Create("""{"replicas":1}""")).Code.Should().Be(HttpStatusCode.Created);
        var crd = await _raw.Get(CrdPath + "/things.example.com");
        crd.Body["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["kind"]!["default"] = "Plain";
        (await _raw.Put(CrdPath + "/things.example.com", crd.Body.ToJsonString())).Code.Should().Be(HttpStatusCode.OK);

        var read = await _raw.Get(ThingsPath + "/t");

        read.Body["spec"]!["kind"]!.GetValue<string>().Should().Be("Plain");
    }
}
