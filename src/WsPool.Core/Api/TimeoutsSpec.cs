using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace WsPool.Core.Api;

[Description("Balancer timeouts as durations (5s, 1m, 1h). The defaults keep idle WebSockets open for an hour rather than the 60s most proxies default to.")]
public sealed class TimeoutsSpec
{
    [JsonPropertyName("connect")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("Time to establish a TCP connection to a backend pod. Default 5s.")]
    public string Connect { get; set; } = "5s";

    [JsonPropertyName("httpRequest")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("Time a client has to send the full HTTP upgrade request. Default 10s.")]
    public string HttpRequest { get; set; } = "10s";

    [JsonPropertyName("client")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("Client inactivity before the upgrade (plain HTTP). Default 30s.")]
    public string Client { get; set; } = "30s";

    [JsonPropertyName("server")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("Server inactivity before the upgrade (plain HTTP). Default 30s.")]
    public string Server { get; set; } = "30s";

    [JsonPropertyName("tunnel")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("Idle time after which an upgraded WebSocket is closed (HAProxy timeout tunnel, NGINX proxy_read_timeout). Default 1h.")]
    public string Tunnel { get; set; } = "1h";

    [JsonPropertyName("clientFin")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("Time to wait for a half-closed client to finish, against FIN_WAIT build-up. Default 30s.")]
    public string ClientFin { get; set; } = "30s";

    [JsonPropertyName("serverFin")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("Time to wait for a half-closed server to finish. Default 30s.")]
    public string ServerFin { get; set; } = "30s";

    [JsonPropertyName("queue")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("How long a connection waits for a free slot when every pod is at its limit, before a 503. Default 5s.")]
    public string Queue { get; set; } = "5s";
}
