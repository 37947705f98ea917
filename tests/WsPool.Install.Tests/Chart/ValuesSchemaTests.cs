using System.Text.Json.Nodes;

namespace WsPool.Install.Tests.Chart;

/// <summary>values.schema.json accepts the documented defaults and rejects bad values with the field path.</summary>
public sealed class ValuesSchemaTests
{
    [Fact]
    public void The_default_values_validate_against_the_schema()
    {
        var results = ChartValues.Evaluate(ChartValues.Defaults());

        results.IsValid.Should().BeTrue(string.Join("\n", ChartValues.Errors(results)));
    }

    [Fact]
    public void Namespaced_install_values_validate()
    {
        var results = ChartValues.Evaluate(ChartValues.With("watchNamespaces", new JsonArray("team-a", "team-b")));

        results.IsValid.Should().BeTrue(string.Join("\n", ChartValues.Errors(results)));
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        // path, JSON value, the instance location the error must name
        { "replicaCount", "0", "/replicaCount" },
        { "replicaCount", "\"two\"", "/replicaCount" },
        { "image.pullPolicy", "\"Sometimes\"", "/image/pullPolicy" },
        { "image.repository", "\"\"", "/image/repository" },
        { "operator.resyncPeriod", "\"10 minutes\"", "/operator/resyncPeriod" },
        { "operator.leaderElection.leaseDuration", "15", "/operator/leaderElection/leaseDuration" },
        { "operator.workers", "0", "/operator/workers" },
        { "operator.logLevel", "\"Verbose\"", "/operator/logLevel" },
        { "operator.scaling.requestTimeout", "\"1 second\"", "/operator/scaling/requestTimeout" },
        { "operator.scaling.maxInFlight", "0", "/operator/scaling/maxInFlight" },
        { "ports.health", "70000", "/ports/health" },
        { "watchNamespaces", "[\"Team_A\"]", "/watchNamespaces/0" },
        { "watchNamespaces", "\"team-a\"", "/watchNamespaces" },
        { "resources.limits.memory", "\"lots\"", "/resources/limits/memory" },
        { "metrics.prometheusRule.capacityRatio", "1.5", "/metrics/prometheusRule/capacityRatio" },
        { "podDisruptionBudget.minAvailable", "-1", "/podDisruptionBudget/minAvailable" },
        { "serviceAccount.annotations", "{\"a\": 1}", "/serviceAccount/annotations/a" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_is_rejected_naming_its_path(string path, string json, string location)
    {
        var results = ChartValues.Evaluate(ChartValues.With(path, JsonNode.Parse(json)));

        results.IsValid.Should().BeFalse();
        ChartValues.Errors(results).Should().Contain(e => e.StartsWith(location + ":"));
    }

    [Theory]
    [InlineData("replicas")]
    [InlineData("operator.worker")]
    [InlineData("metrics.serviceMonitor.enable")]
    public void A_misspelt_key_is_rejected(string path)
    {
        var results = ChartValues.Evaluate(ChartValues.With(path, JsonValue.Create(1)));

        results.IsValid.Should().BeFalse("a typo must fail the install instead of being ignored");
    }
}
