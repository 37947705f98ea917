using WsPool.Core.Scaling;

namespace WsPool.Core.Tests.Scaling;

public sealed class PrometheusTextTests
{
    private const string Exposition = """
        # HELP websocket_connections Open WebSocket connections.
        # TYPE websocket_connections gauge
        websocket_connections 1234
        websocket_messages_total{direction="in"} 10
        websocket_messages_total{direction="out",note="a \"quoted\" \\ value"} 2.5e3 1700000000000
        websocket_draining 0
        weird_value NaN
        broken{label="unterminated 3
        """;

    [Fact]
    public void Reads_a_plain_gauge() =>
        PrometheusText.Sum(Exposition, "websocket_connections").Should().Be(1234);

    [Fact]
    public void Sums_every_series_of_a_metric_with_escaped_labels_and_timestamps() =>
        PrometheusText.Sum(Exposition, "websocket_messages_total").Should().Be(2510);

    [Fact]
    public void Unescapes_label_values()
    {
        var sample = PrometheusText.Parse(Exposition).Single(s => s.Labels.GetValueOrDefault("direction") == "out");

        sample.Labels["note"].Should().Be("a \"quoted\" \\ value");
    }

    [Fact]
    public void An_absent_metric_is_null_not_zero() =>
        PrometheusText.Sum(Exposition, "websocket_connections_total").Should().BeNull();

    [Fact]
    public void A_line_that_does_not_parse_is_skipped() =>
        PrometheusText.Parse(Exposition).Should().NotContain(s => s.Name == "broken");

    [Fact]
    public void Ignores_a_metric_whose_name_only_starts_the_same() =>
        PrometheusText.Sum("websocket_connections_total 9\nwebsocket_connections 3\n", "websocket_connections").Should().Be(3);
}
