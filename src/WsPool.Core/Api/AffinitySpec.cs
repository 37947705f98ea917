using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace WsPool.Core.Api;

[Description("Session affinity: which backend pod a client's connection goes to.")]
[CelRule("!has(self.type) || self.type != 'Header' || has(self.header)", "header is required when type is Header",
    FieldPath = ".header", Reason = CelRuleReason.FieldValueRequired)]
[CelRule("!has(self.type) || self.type != 'QueryParam' || has(self.queryParam)", "queryParam is required when type is QueryParam",
    FieldPath = ".queryParam", Reason = CelRuleReason.FieldValueRequired)]
// A section for another type is almost always a mistake (type changed, section forgotten): refuse it rather than
// silently ignore settings the user believes are in force.
[CelRule("!has(self.cookie) || (has(self.type) && self.type == 'Cookie')", "only applies when type is Cookie",
    FieldPath = ".cookie", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.header) || (has(self.type) && self.type == 'Header')", "only applies when type is Header",
    FieldPath = ".header", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.queryParam) || (has(self.type) && self.type == 'QueryParam')", "only applies when type is QueryParam",
    FieldPath = ".queryParam", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.hashBalanceFactor) || (has(self.type) && (self.type == 'ClientIP' || self.type == 'Header' || self.type == 'QueryParam'))",
    "only applies to the hash types ClientIP, Header and QueryParam",
    FieldPath = ".hashBalanceFactor", Reason = CelRuleReason.FieldValueForbidden)]
[CelRule("!has(self.type) || self.type != 'Cookie' || !has(self.cookie) || !has(self.cookie.sameSite) || self.cookie.sameSite != 'None' || (has(self.cookie.secure) && self.cookie.secure)",
    "None requires secure: true (browsers drop SameSite=None cookies that are not Secure)",
    FieldPath = ".cookie.sameSite", Reason = CelRuleReason.FieldValueInvalid)]
public sealed class AffinitySpec
{
    [JsonPropertyName("type")]
    [Description("None balances by least connections; ClientIP, Header and QueryParam hash a key consistently; Cookie inserts a balancer cookie. Default None.")]
    public AffinityType Type { get; set; } = AffinityType.None;

    [JsonPropertyName("cookie")]
    [Description("The affinity cookie, used when type is Cookie.")]
    public CookieAffinitySpec? Cookie { get; set; }

    [JsonPropertyName("header")]
    [Description("The request header whose value is hashed, used when type is Header.")]
    public NamedKeySpec? Header { get; set; }

    [JsonPropertyName("queryParam")]
    [Description("The query parameter whose value is hashed, used when type is QueryParam.")]
    public NamedKeySpec? QueryParam { get; set; }

    [JsonPropertyName("hashBalanceFactor")]
    [Range(100, 1000)]
    [Description("Bounded load for the hash modes: no pod takes more than this percentage of the average load (HAProxy hash-balance-factor). Unset means unbounded.")]
    public int? HashBalanceFactor { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<AffinityType>))]
public enum AffinityType
{
    None,
    ClientIP,
    Cookie,
    Header,
    QueryParam,
}

[Description("The cookie a balancer inserts to pin a client to a pod.")]
public sealed class CookieAffinitySpec
{
    [JsonPropertyName("name")]
    [RegularExpression(Grammars.TokenPattern)]
    [Description("The cookie name. Default WSPOOL.")]
    public string Name { get; set; } = "WSPOOL";

    [JsonPropertyName("maxAge")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("How long the cookie pins a client after it was issued (HAProxy maxlife, Max-Age). Unset means a session cookie.")]
    public string? MaxAge { get; set; }

    [JsonPropertyName("maxIdle")]
    [RegularExpression(DurationAttribute.Pattern)]
    [Duration]
    [Description("How long the cookie stays valid without being seen (HAProxy maxidle). Unset means no idle limit.")]
    public string? MaxIdle { get; set; }

    [JsonPropertyName("secure")]
    [Description("Send the cookie over HTTPS only. Default false.")]
    public bool Secure { get; set; }

    [JsonPropertyName("httpOnly")]
    [Description("Hide the cookie from scripts. Default true.")]
    public bool HttpOnly { get; set; } = true;

    [JsonPropertyName("sameSite")]
    [Description("The SameSite attribute: Lax, Strict or None (None requires secure). Default Lax.")]
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;
}

[JsonConverter(typeof(JsonStringEnumConverter<SameSiteMode>))]
public enum SameSiteMode
{
    Lax,
    Strict,
    None,
}

[Description("A named request key (header or query parameter).")]
public sealed class NamedKeySpec
{
    [JsonPropertyName("name")]
    [Required]
    [RegularExpression(Grammars.TokenPattern)]
    [Description("The header or query parameter name: letters, digits, '.', '_' or '-'.")]
    public string Name { get; set; } = "";
}
