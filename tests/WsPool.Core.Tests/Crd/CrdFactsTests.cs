using System.Text.Json.Nodes;
using WsPool.Core.Api;
using WsPool.Core.Crd;

namespace WsPool.Core.Tests.Crd;

/// <summary>What the WebSocketPool CRD promises its users: names, subresources, columns, rules, enums, defaults.</summary>
public class CrdFactsTests
{
    private static readonly JsonObject Crd = CrdSchema.Crd();
    private static readonly JsonObject Version = CrdSchema.Version();

    private static string Text(JsonNode? node) => node!.GetValue<string>();
    private static IEnumerable<string> Strings(JsonNode? list) => ((JsonArray)list!).Select(Text);

    [Fact]
    public void Names_the_wspool_dev_group_and_the_websocketpool_kind()
    {
        Text(Crd["apiVersion"]).Should().Be("apiextensions.k8s.io/v1");
        Text(Crd["metadata"]!["name"]).Should().Be("websocketpools.wspool.dev");
        Text(Crd["spec"]!["group"]).Should().Be("wspool.dev");
        Text(Crd["spec"]!["scope"]).Should().Be("Namespaced");
        var names = Crd["spec"]!["names"]!;
        Text(names["kind"]).Should().Be("WebSocketPool");
        Text(names["listKind"]).Should().Be("WebSocketPoolList");
        Text(names["plural"]).Should().Be("websocketpools");
        Text(names["singular"]).Should().Be("websocketpool");
        Strings(names["shortNames"]).Should().Equal("wsp");
        Strings(names["categories"]).Should().Equal("wspool");
    }

    [Fact]
    public void Serves_and_stores_one_version_v1alpha1()
    {
        ((JsonArray)Crd["spec"]!["versions"]!).Should().ContainSingle();
        Text(Version["name"]).Should().Be("v1alpha1");
        Version["served"]!.GetValue<bool>().Should().BeTrue();
        Version["storage"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void Has_the_status_subresource_and_a_scale_subresource_on_replicas_and_selector()
    {
        var subresources = Version["subresources"]!;
        JsonNode.DeepEquals(subresources["status"], new JsonObject()).Should().BeTrue();
        Text(subresources["scale"]!["specReplicasPath"]).Should().Be(".spec.replicas");
        Text(subresources["scale"]!["statusReplicasPath"]).Should().Be(".status.replicas");
        Text(subresources["scale"]!["labelSelectorPath"]).Should().Be(".status.selector");
    }

    [Fact]
    public void Scale_paths_point_at_an_integer_replicas_and_a_string_selector()
    {
        Text(CrdSchema.At("spec.replicas")["type"]).Should().Be("integer");
        Text(CrdSchema.At("status.replicas")["type"]).Should().Be("integer");
        Text(CrdSchema.At("status.selector")["type"]).Should().Be("string");
    }

    [Fact]
    public void Printer_columns_are_balancer_affinity_ready_desired_connections_rollout_and_its_wide_counts_age()
    {
        var columns = ((JsonArray)Version["additionalPrinterColumns"]!).Select(c => (Text(c!["name"]), Text(c["type"]), Text(c["jsonPath"])));
        columns.Should().Equal(
            ("Balancer", "string", ".spec.balancer.type"),
            ("Affinity", "string", ".spec.affinity.type"),
            ("Ready", "integer", ".status.readyReplicas"),
            ("Desired", "integer", ".status.desiredReplicas"),
            ("Connections", "integer", ".status.connections.total"),
            ("Rollout", "string", ".status.rollout.phase"),
            ("Old-Conns", "integer", ".status.rollout.oldConnections"),
            ("Moves/s", "number", ".status.rollout.reconnectsPerSecond"),
            ("Age", "date", ".metadata.creationTimestamp"));
    }

    [Fact]
    public void Printer_columns_read_fields_the_schema_has_with_the_column_type()
    {
        foreach (var column in ((JsonArray)Version["additionalPrinterColumns"]!).Where(c => !Text(c!["jsonPath"]).StartsWith(".metadata.", StringComparison.Ordinal)))
        {
            var node = CrdSchema.At(Text(column!["jsonPath"])[1..]);
            Text(node["type"]).Should().Be(Text(column["type"]), Text(column["name"]));
        }
    }

    [Theory]
    [InlineData("spec", "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas")]
    [InlineData("spec.connections", "!has(self.target) || !has(self.limit) || self.target <= self.limit")]
    [InlineData("spec.affinity", "!has(self.type) || self.type != 'Header' || has(self.header)")]
    [InlineData("spec.affinity", "!has(self.type) || self.type != 'QueryParam' || has(self.queryParam)")]
    [InlineData("spec.balancer", "!has(self.type) || self.type != 'Ingress' || has(self.ingress)")]
    [InlineData("spec.balancer", "!has(self.type) || self.type != 'Gateway' || has(self.gateway)")]
    [InlineData("spec.broker", "!has(self.type) || self.type != 'External' || has(self.external)")]
    public void Cross_field_rules_are_cel_validations_on_their_object(string path, string rule) =>
        ((JsonArray)CrdSchema.At(path)["x-kubernetes-validations"]!).Select(r => Text(r!["rule"])).Should().Contain(rule);

    [Fact]
    public void Min_above_max_replicas_breaks_a_rule_and_min_equal_to_max_keeps_it()
    {
        var spec = CrdSchema.At("spec");
        CelRules.Violations(spec, JsonNode.Parse("""{"template":{},"minReplicas":5,"maxReplicas":2}""")!)
            .Should().Equal(": minReplicas must be less than or equal to maxReplicas");
        CelRules.Violations(spec, StructuralDefaulting.Apply(spec, JsonNode.Parse("""{"template":{},"minReplicas":3,"maxReplicas":3}""")!))
            .Should().BeEmpty();
    }

    [Fact]
    public void Connection_target_above_limit_breaks_a_rule_and_target_equal_to_limit_keeps_it()
    {
        var connections = CrdSchema.At("spec.connections");
        CelRules.Violations(connections, JsonNode.Parse("""{"target":3000,"limit":1000}""")!)
            .Should().Equal(": target must be less than or equal to limit");
        CelRules.Violations(connections, JsonNode.Parse("""{"target":1000,"limit":1000}""")!).Should().BeEmpty();
    }

    [Fact]
    public void Replicas_outside_min_and_max_break_a_rule_at_the_replicas_field_and_unset_replicas_do_not()
    {
        var spec = CrdSchema.At("spec");
        CelRules.Violations(spec, JsonNode.Parse("""{"minReplicas":2,"maxReplicas":4,"replicas":9}""")!)
            .Should().Equal(".replicas: replicas must lie between minReplicas and maxReplicas");
        CelRules.Violations(spec, JsonNode.Parse("""{"minReplicas":2,"maxReplicas":4}""")!).Should().BeEmpty();
    }

    [Theory]
    [InlineData("spec.affinity", "Header", "header")]
    [InlineData("spec.affinity", "QueryParam", "queryParam")]
    [InlineData("spec.balancer", "Ingress", "ingress")]
    [InlineData("spec.balancer", "Gateway", "gateway")]
    [InlineData("spec.broker", "External", "external")]
    public void A_type_without_its_settings_is_reported_as_a_required_field_at_that_field(string path, string type, string field)
    {
        var rule = ((JsonArray)CrdSchema.At(path)["x-kubernetes-validations"]!)
            .Single(r => Text(r!["rule"]).EndsWith($"|| has(self.{field})", StringComparison.Ordinal))!;
        Text(rule["fieldPath"]).Should().Be("." + field);
        Text(rule["reason"]).Should().Be("FieldValueRequired");

        var node = CrdSchema.At(path);
        var withoutSettings = StructuralDefaulting.Apply(node, new JsonObject { ["type"] = type });
        CelRules.Violations(node, withoutSettings).Should().Equal($".{field}: {field} is required when type is {type}");
    }

    [Theory]
    [InlineData("spec.affinity", "cookie", "Cookie", "None")]
    [InlineData("spec.affinity", "header", "Header", "Cookie")]
    [InlineData("spec.affinity", "queryParam", "QueryParam", "ClientIP")]
    [InlineData("spec.balancer", "ingress", "Ingress", "HAProxy")]
    [InlineData("spec.balancer", "gateway", "Gateway", "Nginx")]
    [InlineData("spec.broker", "external", "External", "Managed")]
    public void Settings_for_another_type_are_forbidden_at_that_field(string path, string field, string owner, string other)
    {
        var node = CrdSchema.At(path);
        var rule = ((JsonArray)node["x-kubernetes-validations"]!)
            .Single(r => Text(r!["rule"]).StartsWith($"!has(self.{field}) ||", StringComparison.Ordinal))!;
        Text(rule["fieldPath"]).Should().Be("." + field);
        Text(rule["reason"]).Should().Be("FieldValueForbidden");

        var settings = ((JsonObject)node["properties"]![field]!)["required"] is JsonArray { Count: > 0 }
            ? new JsonObject { ["name"] = "x" } : new JsonObject();
        var withOther = StructuralDefaulting.Apply(node, new JsonObject { ["type"] = other, [field] = settings.DeepClone() });
        CelRules.Violations(node, withOther).Should().Equal($".{field}: only applies when type is {owner}");
        var withOwner = StructuralDefaulting.Apply(node, new JsonObject { ["type"] = owner, [field] = settings.DeepClone() });
        CelRules.Violations(node, withOwner).Where(v => v.StartsWith($".{field}:", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("spec.timeouts.tunnel", "0s", "must be between 1s and 7d (a shorter tunnel timeout closes idle WebSockets at once)")]
    [InlineData("spec.timeouts.tunnel", "7d1ms", "must be between 1s and 7d (a shorter tunnel timeout closes idle WebSockets at once)")]
    [InlineData("spec.timeouts.tunnel", "6d23h59m59s1000ms", null)]
    [InlineData("spec.timeouts.connect", "99ms", "must be between 100ms and 5m")]
    [InlineData("spec.timeouts.connect", "1m30s", null)]
    [InlineData("spec.drain.timeout", "0s", null)]
    [InlineData("spec.drain.timeout", "3601s", "must be between 0s and 1h (a drain longer than an hour outlives any rollout)")]
    [InlineData("spec.timeouts.tunnel", "url", null)] // the pattern refuses it; the bound stays silent, as wspool does
    public void A_duration_outside_its_bound_breaks_the_rule_on_the_field(string path, string value, string? message)
    {
        var violations = CelRules.Violations(CrdSchema.At(path), JsonValue.Create(value));
        if (message is null) violations.Should().BeEmpty();
        else violations.Should().Equal($": {message}");
    }

    [Fact]
    public void A_drain_longer_than_an_hour_in_all_breaks_the_rule_on_drain()
    {
        var drain = CrdSchema.At("spec.drain");
        CelRules.Violations(drain, JsonNode.Parse("""{"timeout":"59m","preStopDelay":"1m1s"}""")!).Should().ContainSingle()
            .Which.Should().StartWith(": preStopDelay + timeout must be at most 1h");
        CelRules.Violations(drain, JsonNode.Parse("""{"timeout":"59m","preStopDelay":"60s"}""")!).Should().BeEmpty();
    }

    [Theory]
    [InlineData("spec.affinity.type", typeof(AffinityType))]
    [InlineData("spec.affinity.cookie.sameSite", typeof(SameSiteMode))]
    [InlineData("spec.balancer.type", typeof(BalancerType))]
    [InlineData("spec.balancer.layer", typeof(BalancerLayer))]
    [InlineData("spec.balancer.serviceType", typeof(BalancerServiceType))]
    [InlineData("spec.balancer.plainHttp", typeof(PlainHttpPolicy))]
    [InlineData("spec.balancer.ingress.controller", typeof(IngressController))]
    [InlineData("spec.broker.type", typeof(BrokerType))]
    [InlineData("spec.scaling.metrics.source", typeof(MetricsSource))]
    public void Enums_list_the_member_names_of_the_csharp_enum(string path, Type enumType)
    {
        Text(CrdSchema.At(path)["type"]).Should().Be("string");
        Strings(CrdSchema.At(path)["enum"]).Should().Equal(Enum.GetNames(enumType));
    }

    [Theory]
    [InlineData("spec.timeouts.connect")]
    [InlineData("spec.timeouts.httpRequest")]
    [InlineData("spec.timeouts.client")]
    [InlineData("spec.timeouts.server")]
    [InlineData("spec.timeouts.tunnel")]
    [InlineData("spec.timeouts.clientFin")]
    [InlineData("spec.timeouts.serverFin")]
    [InlineData("spec.timeouts.queue")]
    [InlineData("spec.drain.timeout")]
    [InlineData("spec.drain.preStopDelay")]
    [InlineData("spec.healthCheck.interval")]
    [InlineData("spec.scaling.pollInterval")]
    [InlineData("spec.scaling.podStartupTime")]
    [InlineData("spec.scaling.scaleUp.stabilizationWindow")]
    [InlineData("spec.scaling.scaleDown.period")]
    [InlineData("spec.scaling.rebalance.window")]
    [InlineData("spec.affinity.cookie.maxAge")]
    [InlineData("spec.affinity.cookie.maxIdle")]
    public void Durations_are_strings_with_the_duration_pattern(string path)
    {
        Text(CrdSchema.At(path)["type"]).Should().Be("string");
        Text(CrdSchema.At(path)["pattern"]).Should().Be(DurationAttribute.Pattern);
    }

    [Theory]
    [InlineData("spec.port", "8080")]
    [InlineData("spec.path", "\"/ws\"")]
    [InlineData("spec.minReplicas", "1")]
    [InlineData("spec.maxReplicas", "10")]
    [InlineData("spec.connections.target", "1000")]
    [InlineData("spec.connections.limit", "2000")]
    [InlineData("spec.healthCheck.path", "\"/readyz\"")]
    [InlineData("spec.healthCheck.fall", "3")]
    [InlineData("spec.scaling.enabled", "false")]
    [InlineData("spec.scaling.metrics.path", "\"/metrics\"")]
    [InlineData("spec.scaling.metrics.metricName", "\"websocket_connections\"")]
    [InlineData("spec.scaling.prewarm.rateAware", "true")]
    [InlineData("spec.scaling.scaleUp.stabilizationWindow", "\"0s\"")]
    [InlineData("spec.scaling.scaleUp.maxPods", "4")]
    [InlineData("spec.scaling.scaleUp.period", "\"15s\"")]
    [InlineData("spec.scaling.scaleDown.stabilizationWindow", "\"300s\"")]
    [InlineData("spec.scaling.scaleDown.maxPods", "1")]
    [InlineData("spec.scaling.scaleDown.maxPercent", "10")]
    [InlineData("spec.scaling.scaleDown.period", "\"60s\"")]
    [InlineData("spec.timeouts.tunnel", "\"1h\"")]
    [InlineData("spec.affinity.type", "\"None\"")]
    [InlineData("spec.affinity.cookie.name", "\"WSPOOL\"")]
    [InlineData("spec.affinity.cookie.httpOnly", "true")]
    [InlineData("spec.affinity.cookie.sameSite", "\"Lax\"")]
    [InlineData("spec.balancer.type", "\"HAProxy\"")]
    [InlineData("spec.balancer.replicas", "2")]
    [InlineData("spec.balancer.serviceType", "\"LoadBalancer\"")]
    [InlineData("spec.broker.envVar", "\"WSPOOL_REDIS_URL\"")]
    [InlineData("spec.broker.managed.image", "\"redis:7.2\"")]
    [InlineData("spec.broker.external.key", "\"url\"")]
    [InlineData("spec.balancer.ingress.controller", "\"IngressNginx\"")]
    public void Scalar_defaults_are_the_property_initialisers(string path, string expectedJson) =>
        JsonNode.DeepEquals(CrdSchema.At(path)["default"], JsonNode.Parse(expectedJson)).Should().BeTrue(
            $"{path} defaults to {expectedJson}, found {CrdSchema.At(path)["default"]?.ToJsonString() ?? "none"}");

    [Theory]
    [InlineData("spec.connections")]
    [InlineData("spec.healthCheck")]
    [InlineData("spec.scaling")]
    [InlineData("spec.scaling.metrics")]
    [InlineData("spec.scaling.scaleDown")]
    [InlineData("spec.drain")]
    [InlineData("spec.affinity")]
    [InlineData("spec.timeouts")]
    [InlineData("spec.balancer")]
    [InlineData("spec.broker")]
    [InlineData("spec.broker.managed")]
    public void Objects_with_an_initialiser_default_to_an_empty_object_so_their_fields_default(string path) =>
        JsonNode.DeepEquals(CrdSchema.At(path)["default"], new JsonObject()).Should().BeTrue(path);

    [Theory]
    [InlineData("spec.replicas")]
    [InlineData("spec.affinity.cookie")]
    [InlineData("spec.affinity.hashBalanceFactor")]
    [InlineData("spec.affinity.cookie.maxAge")]
    [InlineData("spec.balancer.image")]
    [InlineData("spec.balancer.port")]
    [InlineData("spec.balancer.tls")]
    [InlineData("spec.scaling.metrics.source")]
    [InlineData("spec.scaling.metrics.port")]
    [InlineData("spec.scaling.podStartupTime")]
    [InlineData("spec.broker.external")]
    public void Unset_nullable_fields_have_no_default(string path) => CrdSchema.At(path).ContainsKey("default").Should().BeFalse(path);

    [Theory]
    [InlineData("", "spec")]
    [InlineData("spec", "template")]
    [InlineData("spec.affinity.header", "name")]
    [InlineData("spec.balancer.tls", "secretName")]
    [InlineData("spec.balancer.gateway", "parentRefs")]
    [InlineData("spec.broker.external", "name")]
    public void Required_fields_are_listed(string objectPath, string field)
    {
        var node = objectPath == "" ? CrdSchema.OpenApi() : CrdSchema.At(objectPath);
        Strings(node["required"]).Should().Contain(field);
    }

    [Fact]
    public void Optional_fields_are_not_required()
    {
        Strings(CrdSchema.At("spec")["required"]).Should().Equal("template");
        CrdSchema.At("status").ContainsKey("required").Should().BeFalse();
        Strings(CrdSchema.OpenApi()["required"]).Should().Equal("spec");
    }

    [Fact]
    public void Port_is_an_int_or_string_defaulting_to_8080()
    {
        var port = CrdSchema.At("spec.port");
        port["x-kubernetes-int-or-string"]!.GetValue<bool>().Should().BeTrue();
        port["default"]!.GetValue<int>().Should().Be(8080);
        CrdSchema.At("spec.scaling.metrics.port")["x-kubernetes-int-or-string"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void The_rebalance_admin_port_is_an_int_or_string_defaulting_to_the_chat_servers_9091()
    {
        var port = CrdSchema.At("spec.scaling.rebalance.adminPort");
        port["x-kubernetes-int-or-string"]!.GetValue<bool>().Should().BeTrue();
        port["default"]!.GetValue<int>().Should().Be(9091);
    }

    [Theory]
    [InlineData("spec.minReplicas", 0, 10000)]
    [InlineData("spec.maxReplicas", 1, 10000)]
    [InlineData("spec.connections.target", 1, 1000000)]
    [InlineData("spec.balancer.port", 1, 65535)]
    [InlineData("spec.affinity.hashBalanceFactor", 100, 1000)]
    [InlineData("spec.scaling.rebalance.maxToMinPercent", 110, 1000)]
    public void Ranges_become_minimum_and_maximum(string path, double minimum, double maximum)
    {
        CrdSchema.At(path)["minimum"]!.GetValue<double>().Should().Be(minimum);
        CrdSchema.At(path)["maximum"]!.GetValue<double>().Should().Be(maximum);
    }

    [Theory]
    [InlineData("spec.path", Grammars.PathPattern, 256)]
    [InlineData("spec.affinity.cookie.name", Grammars.TokenPattern, null)]
    [InlineData("spec.balancer.tls.secretName", Grammars.Dns1123SubdomainPattern, 253)]
    [InlineData("spec.balancer.ingress.host", Grammars.HostnamePattern, 253)]
    [InlineData("spec.balancer.image", Grammars.ImagePattern, 512)]
    [InlineData("spec.broker.envVar", Grammars.EnvVarNamePattern, 128)]
    public void Grammars_become_patterns_with_their_length_bounds(string path, string pattern, int? maxLength)
    {
        Text(CrdSchema.At(path)["pattern"]).Should().Be(pattern);
        int? actual = CrdSchema.At(path)["maxLength"]?.GetValue<int>();
        actual.Should().Be(maxLength);
    }

    [Theory]
    [InlineData("status.conditions", 16)]
    [InlineData("status.connections.pods", ConnectionsStatus.MaxPodsListed)]
    [InlineData("spec.balancer.gateway.parentRefs", 32)]
    [InlineData("spec.balancer.gateway.hostnames", 16)]
    public void Lists_are_bounded(string path, int maxItems) =>
        CrdSchema.At(path)["maxItems"]!.GetValue<int>().Should().Be(maxItems);

    [Fact]
    public void Gateway_parent_refs_need_at_least_one_entry() =>
        CrdSchema.At("spec.balancer.gateway.parentRefs")["minItems"]!.GetValue<int>().Should().Be(1);

    [Fact]
    public void Conditions_are_metav1_conditions_in_a_list_map_keyed_by_type()
    {
        var conditions = CrdSchema.At("status.conditions");
        Text(conditions["x-kubernetes-list-type"]).Should().Be("map");
        Strings(conditions["x-kubernetes-list-map-keys"]).Should().Equal("type");
        var item = conditions["items"]!;
        Strings(item["required"]).Should().BeEquivalentTo("type", "status", "lastTransitionTime", "reason", "message");
        Strings(item["properties"]!["status"]!["enum"]).Should().Equal("True", "False", "Unknown");
        Text(item["properties"]!["lastTransitionTime"]!["format"]).Should().Be("date-time");
        Text(item["properties"]!["observedGeneration"]!["format"]).Should().Be("int64");
        Text(item["properties"]!["reason"]!["pattern"]).Should().Be(WellKnownSchemas.ConditionReasonPattern);
        item["properties"]!["message"]!["maxLength"]!.GetValue<int>().Should().Be(32768);
    }

    [Fact]
    public void Status_times_are_date_times_and_counters_are_int64()
    {
        Text(CrdSchema.At("status.lastScaleTime")["format"]).Should().Be("date-time");
        Text(CrdSchema.At("status.connections.sampledAt")["format"]).Should().Be("date-time");
        Text(CrdSchema.At("status.observedGeneration")["format"]).Should().Be("int64");
        Text(CrdSchema.At("status.connections.total")["format"]).Should().Be("int64");
    }

    [Fact]
    public void Pod_template_is_spelled_out_from_the_kubernetes_models()
    {
        var container = CrdSchema.At("spec.template.spec.containers")["items"]!;
        container["properties"]!.AsObject().Select(p => p.Key).Should().Contain(["name", "image", "env", "ports", "resources", "readinessProbe", "lifecycle"]);
        var limits = container["properties"]!["resources"]!["properties"]!["limits"]!;
        limits["additionalProperties"]!["x-kubernetes-int-or-string"]!.GetValue<bool>().Should().BeTrue();
        Text(limits["additionalProperties"]!["pattern"]).Should().Be(WellKnownSchemas.QuantityPattern);
        var probePort = container["properties"]!["readinessProbe"]!["properties"]!["httpGet"]!["properties"]!["port"]!;
        probePort["x-kubernetes-int-or-string"]!.GetValue<bool>().Should().BeTrue();
        Text(CrdSchema.At("spec.template.spec.terminationGracePeriodSeconds")["format"]).Should().Be("int64");
    }

    [Fact]
    public void Pod_template_metadata_keeps_labels_annotations_and_names_only()
    {
        var metadata = CrdSchema.At("spec.template.metadata");
        metadata["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(WellKnownSchemas.EmbeddedMetadataFields);
        Text(metadata["properties"]!["labels"]!["additionalProperties"]!["type"]).Should().Be("string");
    }

    [Fact]
    public void Root_metadata_is_left_to_the_api_server()
    {
        JsonNode.DeepEquals(CrdSchema.At("metadata"), JsonNode.Parse("""{"type":"object"}""")).Should().BeTrue();
        Text(CrdSchema.At("apiVersion")["type"]).Should().Be("string");
        Text(CrdSchema.At("kind")["type"]).Should().Be("string");
    }
}
