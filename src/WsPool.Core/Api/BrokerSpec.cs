using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace WsPool.Core.Api;

[Description("A Redis broker for broadcasting across backend pods; its URL reaches the pods as an environment variable.")]
[CelRule("!has(self.type) || self.type != 'External' || has(self.external)", "external is required when type is External",
    FieldPath = ".external", Reason = CelRuleReason.FieldValueRequired)]
[CelRule("!has(self.external) || (has(self.type) && self.type == 'External')", "only applies when type is External",
    FieldPath = ".external", Reason = CelRuleReason.FieldValueForbidden)]
public sealed class BrokerSpec
{
    [JsonPropertyName("type")]
    [Description("None: no broker. Managed: the operator runs a Redis Deployment with a generated password. External: the URL is read from a Secret. Default None.")]
    public BrokerType Type { get; set; } = BrokerType.None;

    [JsonPropertyName("envVar")]
    [RegularExpression(Grammars.EnvVarNamePattern)]
    [MaxLength(128)]
    [Description("The environment variable that carries the Redis URL (redis://[:password@]host:port) into the backend containers. Default WSPOOL_REDIS_URL.")]
    public string EnvVar { get; set; } = "WSPOOL_REDIS_URL";

    [JsonPropertyName("managed")]
    [Description("Settings of the managed Redis, used when type is Managed.")]
    public ManagedBrokerSpec Managed { get; set; } = new();

    [JsonPropertyName("external")]
    [Description("The Secret key that holds the URL of an external Redis, used when type is External.")]
    public SecretKeyRef? External { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<BrokerType>))]
public enum BrokerType
{
    None,
    Managed,
    External,
}

[Description("The operator-managed Redis.")]
public sealed class ManagedBrokerSpec
{
    [JsonPropertyName("image")]
    [RegularExpression(Grammars.ImagePattern)]
    [MaxLength(512)]
    [Description("The Redis image. Default redis:7.2.")]
    public string Image { get; set; } = "redis:7.2";
}

[Description("A key of a Secret in the pool's namespace.")]
public sealed class SecretKeyRef
{
    [JsonPropertyName("name")]
    [Required]
    [RegularExpression(Grammars.Dns1123SubdomainPattern)]
    [MaxLength(253)]
    [Description("The Secret's name.")]
    public string Name { get; set; } = "";

    [JsonPropertyName("key")]
    [RegularExpression("^[-._a-zA-Z0-9]+$")]
    [MaxLength(253)]
    [Description("The key within the Secret. Default url.")]
    public string Key { get; set; } = "url";
}
