using k8s;
using WsPool.Core.Api;

namespace WsPool.Core.Tests.Api;

public class ScaleDownDefaultsTests
{
    private const string PartialScaleDown = """
        apiVersion: wspool.dev/v1alpha1
        kind: WebSocketPool
        metadata: { name: lobby }
        spec:
          template: { spec: { containers: [ { name: app, image: example/app:1 } ] } }
          scaling:
            scaleDown: { maxPods: 2 }
            scaleUp: { maxPods: 8 }
        """;

    [Fact]
    public void A_partly_written_scale_down_section_is_completed_with_the_scale_down_defaults()
    {
        var pool = KubernetesYaml.Deserialize<WebSocketPool>(PartialScaleDown, strict: true);

        pool.Spec.Scaling.ScaleDown.MaxPods.Should().Be(2);
        pool.Spec.Scaling.ScaleDown.StabilizationWindow.Should().Be("300s");
        pool.Spec.Scaling.ScaleDown.MaxPercent.Should().Be(10);
        pool.Spec.Scaling.ScaleDown.Period.Should().Be("60s");
    }

    [Fact]
    public void A_partly_written_scale_up_section_is_completed_with_the_scale_up_defaults()
    {
        var pool = KubernetesYaml.Deserialize<WebSocketPool>(PartialScaleDown, strict: true);

        pool.Spec.Scaling.ScaleUp.MaxPods.Should().Be(8);
        pool.Spec.Scaling.ScaleUp.StabilizationWindow.Should().Be("0s");
        pool.Spec.Scaling.ScaleUp.Period.Should().Be("15s");
    }

    [Fact]
    public void Json_readers_complete_a_partial_scale_down_the_same_way()
    {
        var json = KubernetesJson.Serialize(KubernetesYaml.Deserialize<WebSocketPool>(PartialScaleDown, strict: true))
            .Replace("\"stabilizationWindow\":\"300s\",", "");
        var pool = KubernetesJson.Deserialize<WebSocketPool>(json);

        pool.Spec.Scaling.ScaleDown.StabilizationWindow.Should().Be("300s");
    }
}
