using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace WsPool.Core.Api;

[Description("Graceful drain of a backend pod on scale-down or rollout.")]
public sealed class DrainSpec
{
    [JsonPropertyName("timeout")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("The window over which a removed pod closes its connections (close code 1001, spread evenly). The pod's terminationGracePeriodSeconds covers preStopDelay + timeout + a margin. Default 60s.")]
    public string Timeout { get; set; } = "60s";

    [JsonPropertyName("preStopDelay")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("A pause in the preStop hook before SIGTERM, so balancers and endpoints stop sending new clients first. Default 5s.")]
    public string PreStopDelay { get; set; } = "5s";
}
