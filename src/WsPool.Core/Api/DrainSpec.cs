using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace WsPool.Core.Api;

[Description("Graceful drain of a backend pod on scale-down or rollout.")]
[CelRule(TotalRule, "preStopDelay + timeout must be at most 1h: the pod's termination grace period and the balancer's hard-stop-after both have to cover the whole drain")]
public sealed class DrainSpec
{
    /// <summary>The drain as a whole (preStopDelay + timeout) lasts at most an hour.</summary>
    public const string TotalRule =
        "!has(self.timeout) || !has(self.preStopDelay) || !self.timeout.matches('" + DurationAttribute.Pattern + "') || " +
        "!self.preStopDelay.matches('" + DurationAttribute.Pattern + "') || self.timeout" + DurationAttribute.InMilliseconds +
        " + self.preStopDelay" + DurationAttribute.InMilliseconds + " <= 3600000";

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
