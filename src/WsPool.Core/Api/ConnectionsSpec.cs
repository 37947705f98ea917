using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace WsPool.Core.Api;

[Description("Connections per backend pod.")]
[CelRule("!has(self.target) || !has(self.limit) || self.target <= self.limit", "target must be less than or equal to limit",
    Reason = CelRuleReason.FieldValueInvalid)]
public sealed class ConnectionsSpec
{
    [JsonPropertyName("target")]
    [Range(1, 1000000)]
    [Description("The connections per pod that autoscaling aims for. Default 1000.")]
    public int Target { get; set; } = 1000;

    [JsonPropertyName("limit")]
    [Range(1, 1000000)]
    [Description("The hard cap of connections per pod, enforced by the balancer (HAProxy maxconn, NGINX max_conns). Default 2000.")]
    public int Limit { get; set; } = 2000;
}
