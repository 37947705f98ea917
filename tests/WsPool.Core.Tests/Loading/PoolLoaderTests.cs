using k8s;
using WsPool.Core.Api;
using WsPool.Core.Loading;
using WsPool.Core.Tests.Validation;

namespace WsPool.Core.Tests.Loading;

public class PoolLoaderTests
{
    private const string Minimal = """
        apiVersion: wspool.dev/v1alpha1
        kind: WebSocketPool
        metadata:
          name: chat
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: ghcr.io/example/app:1.0.0
        """;

    private static PoolFile Load(string yaml) => PoolLoader.Load(yaml, "pools.yaml");

    [Fact]
    public void Omitted_fields_take_their_defaults()
    {
        var spec = Load(Minimal).Pools.Should().ContainSingle().Subject.Pool.Spec;

        spec.Port.Value.Should().Be("8080");
        spec.Path.Should().Be("/ws");
        spec.MinReplicas.Should().Be(1);
        spec.MaxReplicas.Should().Be(10);
        spec.Replicas.Should().BeNull();
        spec.Connections.Target.Should().Be(1000);
        spec.HealthCheck.Interval.Should().Be("2s");
        spec.Timeouts.Tunnel.Should().Be("1h");
        spec.Scaling.ScaleDown.StabilizationWindow.Should().Be("300s");
        spec.Affinity.Type.Should().Be(AffinityType.None);
        spec.Balancer.Type.Should().Be(BalancerType.HAProxy);
        spec.Broker.EnvVar.Should().Be("WSPOOL_REDIS_URL");
        spec.Drain.Timeout.Should().Be("60s");
    }

    [Fact]
    public void An_explicit_null_means_unset_and_takes_the_default()
    {
        var file = Load(Minimal + "\n  connections: null\n  timeouts: ~\n  path:\n");

        file.Problems.Should().BeEmpty();
        var spec = file.Pools.Single().Pool.Spec;
        spec.Connections.Limit.Should().Be(2000);
        spec.Timeouts.Connect.Should().Be("5s");
        spec.Path.Should().Be("/ws");
    }

    [Theory]
    [MemberData(nameof(TestPools.ValidExamples), MemberType = typeof(TestPools))]
    public void Yaml_to_object_to_yaml_is_a_fixed_point(string example)
    {
        var first = Load(File.ReadAllText(TestPools.Example(example))).Pools.Should().ContainSingle().Subject.Pool;
        var yaml = KubernetesYaml.Serialize(first);

        var second = Load(yaml);

        second.Problems.Should().BeEmpty();
        second.Pools.Single().Pool.Should().BeEquivalentTo(first);
        KubernetesYaml.Serialize(second.Pools.Single().Pool).Should().Be(yaml);
    }

    [Fact]
    public void Every_unknown_field_is_reported_with_its_path_and_position()
    {
        var file = Load("""
            apiVersion: wspool.dev/v1alpha1
            kind: WebSocketPool
            metadata:
              name: chat
              nmespace: apps
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: ghcr.io/example/app:1.0.0
                      imagePullPolcy: Always
              affinity:
                type: Cookie
                cokie:
                  name: SRV
              replica: 3
            """);

        file.Problems.Select(p => $"{p.Path}: {p.Message} @{p.Location!.Line}:{p.Location.Column}").Should().Equal(
            "metadata.nmespace: unknown field @5:3",
            "spec.template.spec.containers[0].imagePullPolcy: unknown field @12:11",
            "spec.affinity.cokie: unknown field @15:5",
            "spec.replica: unknown field @17:3");
        file.Problems.Should().AllSatisfy(p => p.Pool.Should().Be("chat"));
    }

    [Fact]
    public void A_mistyped_value_is_reported_and_the_rest_is_still_validated()
    {
        var file = PoolFileChecker.Check(Minimal + "\n  minReplicas: three\n  path: ws\n", "pools.yaml");

        file.Problems.Select(p => $"{p.Path}: {p.Message}").Should().Equal(
            "spec.minReplicas: must be a whole number (without leading zeros)",
            "spec.path: must be an absolute URL path: '/' followed by letters, digits, '.', '_', '~', '-' and '/'");
    }

    /// <summary>Found by the differential suite: the API server does not coerce a scalar to its field's type.</summary>
    [Fact]
    public void A_quoted_number_or_boolean_is_a_string_as_the_api_server_reads_it()
    {
        var file = PoolFileChecker.Check(Minimal + "\n  minReplicas: \"2\"\n  scaling:\n    enabled: 'true'\n", "pools.yaml");

        file.Problems.Select(p => $"{p.Path}: {p.Message}").Should().Equal(
            "spec.minReplicas: must be a whole number (without leading zeros), not a quoted string",
            "spec.scaling.enabled: must be true or false, not a quoted string");
    }

    [Fact]
    public void A_plain_number_or_boolean_in_a_string_field_must_be_quoted()
    {
        var file = PoolFileChecker.Check(Minimal + "\n  path: /ws\n  healthCheck:\n    path: 12\n  affinity:\n    type: Cookie\n    cookie:\n      name: yes\n", "pools.yaml");

        file.Problems.Select(p => $"{p.Path}: {p.Message}").Should().Equal(
            "spec.healthCheck.path: must be a string, not a number: quote it (\"12\")",
            "spec.affinity.cookie.name: must be a string, not a boolean: quote it (\"yes\")");
    }

    [Fact]
    public void Wrong_shapes_are_reported_with_what_was_expected()
    {
        var file = Load(Minimal + "\n  affinity: Cookie\n  balancer:\n    type: Envoy\n  scaling:\n    enabled: yes-please\n");

        file.Problems.Select(p => $"{p.Path}: {p.Message}").Should().Equal(
            "spec.affinity: must be an object, not a scalar",
            "spec.balancer.type: must be one of HAProxy, Nginx, Ingress, Gateway",
            "spec.scaling.enabled: must be true or false");
    }

    [Fact]
    public void Malformed_yaml_reports_line_and_column()
    {
        var file = Load("apiVersion: wspool.dev/v1alpha1\nkind: WebSocketPool\nmetadata:\n  name: [chat\n  namespace: x\n");

        var problem = file.Problems.Should().ContainSingle().Subject;
        problem.Message.Should().StartWith("malformed YAML: ");
        problem.Location!.Line.Should().BeGreaterThan(3);
        problem.Location.Column.Should().BeGreaterThan(0);
        file.Pools.Should().BeEmpty();
    }

    [Fact]
    public void A_tab_indentation_error_points_at_its_line()
    {
        var file = Load("apiVersion: wspool.dev/v1alpha1\nkind: WebSocketPool\nmetadata:\n\tname: chat\n");

        file.Problems.Should().ContainSingle().Which.Location!.Line.Should().Be(4);
    }

    [Fact]
    public void A_duplicate_key_is_malformed_yaml()
    {
        var problem = Load(Minimal + "\nspec: {}\n").Problems.Should().ContainSingle().Subject;

        problem.Message.Should().Contain("Duplicate key");
    }

    [Fact]
    public void A_file_may_hold_several_pools_and_empty_documents_are_skipped()
    {
        var file = Load($"---\n{Minimal}\n---\n---\n{Minimal.Replace("name: chat", "name: ticker\n  namespace: markets")}\n...\n");

        file.Problems.Should().BeEmpty();
        file.Pools.Select(p => (p.Id, p.DocumentIndex)).Should().Equal(("chat", 1), ("markets/ticker", 3));
    }

    [Fact]
    public void A_document_of_another_kind_is_an_error_naming_it()
    {
        var file = Load($"{Minimal}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: apps\n");

        file.Pools.Should().ContainSingle();
        file.Problems.Should().ContainSingle().Which.ToString().Should().Be(
            "apps/web: is apps/v1 Deployment, not a wspool.dev/v1alpha1 WebSocketPool (at pools.yaml:13:7)");
    }

    [Fact]
    public void A_wrong_api_version_is_an_error()
    {
        var file = Load(Minimal.Replace("wspool.dev/v1alpha1", "wspool.dev/v1"));

        file.Problems.Should().ContainSingle().Which.Message.Should().Contain("not a wspool.dev/v1alpha1 WebSocketPool");
    }

    [Fact]
    public void An_unnamed_document_is_identified_by_file_and_index()
    {
        var file = PoolFileChecker.Check($"{Minimal}\n---\n- just\n- a list\n---\n{Minimal.Replace("  name: chat\n", "  labels: {a: b}\n")}", "pools.yaml");

        file.Problems.Select(p => p.Pool).Should().Equal("pools.yaml#2", "pools.yaml#3");
        file.Problems[1].Path.Should().Be("metadata.name");
    }

    [Fact]
    public void The_same_pool_twice_is_an_error()
    {
        var file = Load($"{Minimal}\n---\n{Minimal}");

        file.Problems.Should().ContainSingle().Which.Message.Should().Be("the same pool is already defined by document #1");
    }

    [Fact]
    public void A_file_without_pools_is_an_error() =>
        Load("# nothing here\n---\n").Problems.Should().ContainSingle().Which.Message.Should().Be("no WebSocketPool documents found");

    [Fact]
    public void A_field_name_with_a_newline_is_quoted_in_the_path()
    {
        var problem = Load(Minimal + "\n  \"evil\\nname\": 1\n").Problems.Should().ContainSingle().Subject;

        problem.Path.Should().Be("spec[\"evil\\nname\"]");
        problem.ToString().Should().NotContain("\n");
    }

    [Fact]
    public void Validation_errors_point_at_the_field_or_its_nearest_written_parent()
    {
        var file = PoolFileChecker.Check(Minimal + "\n  affinity:\n    type: Header\n  timeouts:\n    tunnel: 0s\n", "pools.yaml");

        file.Problems.Select(p => $"{p.Path} @{p.Location!.Line}:{p.Location.Column}").Should().Equal(
            "spec.affinity.header @12:5",
            "spec.timeouts.tunnel @14:13");
    }

    [Fact]
    public void A_number_with_a_leading_zero_is_refused_because_YAML_reads_it_as_octal()
    {
        var problem = Load(Minimal + "\n  maxReplicas: 010\n").Problems.Should().ContainSingle().Subject;

        problem.Path.Should().Be("spec.maxReplicas");
        problem.Message.Should().Contain("leading zeros");
    }

    [Fact]
    public void A_custom_tag_is_refused_at_its_field()
    {
        var problem = Load(Minimal + "\n  path: !ruby/object /ws\n").Problems.Should().ContainSingle().Subject;

        problem.Path.Should().Be("spec.path");
        problem.Message.Should().Contain("YAML tags");
    }
}
