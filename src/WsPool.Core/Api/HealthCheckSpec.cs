using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace WsPool.Core.Api;

[Description("Active health checks from the balancer to each backend pod.")]
public sealed class HealthCheckSpec
{
    [JsonPropertyName("path")]
    [RegularExpression(Grammars.PathPattern)]
    [MaxLength(256)]
    [Description("The HTTP path that answers 200 while the pod accepts connections. Default /readyz.")]
    public string Path { get; set; } = "/readyz";

    [JsonPropertyName("interval")]
    [Duration]
    [RegularExpression(DurationAttribute.Pattern)]
    [Description("Time between two checks of one pod. Default 2s.")]
    public string Interval { get; set; } = "2s";

    [JsonPropertyName("fall")]
    [Range(1, 100)]
    [Description("Consecutive failed checks that take a pod out of rotation. Default 3.")]
    public int Fall { get; set; } = 3;

    [JsonPropertyName("rise")]
    [Range(1, 100)]
    [Description("Consecutive passed checks that put a pod back in rotation. Default 2.")]
    public int Rise { get; set; } = 2;
}
