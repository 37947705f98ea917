using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// OpenAPI v3 validation of a value against a structural schema, with the messages of kube-openapi's validator and
/// the mapping the API server applies to them (apiextensions-apiserver validation.go, kubeOpenAPIResultToFieldErrors):
/// no type coercion, int-or-string, enum, pattern, lengths, bounds, item and property counts, required, and the
/// formats the server checks. Every error is collected. On update (ratcheting, GA since 1.33) a value that is unchanged
/// from the old object at a correlatable path is not validated again.
/// </summary>
public static class SchemaValidator
{
    private const string In = "body";

    /// <summary>
    /// Validates <paramref name="value"/>; error fields are <paramref name="prefix"/> joined with the kube-openapi path
    /// (a null prefix is Go's nil field.Path, printed as &lt;nil&gt; when nothing is joined to it).
    /// </summary>
    public static List<FieldError> Validate(JsonObject schema, JsonNode? value, string? prefix = null, Correlation? old = null)
    {
        var errors = new List<Problem>();
        Walk(schema, value, "", old ?? Correlation.None, errors);
        return errors.Select(p => p.ToFieldError(prefix)).ToList();
    }

    /// <summary>A kube-openapi error before it becomes a field error: the path name inside the value, and how it maps.</summary>
    private sealed record Problem(string Name, Func<string, FieldError> Map)
    {
        public FieldError ToFieldError(string? prefix)
        {
            var name = Name.StartsWith('.') ? Name[1..] : Name;
            var field = name.Length == 0 ? prefix ?? "<nil>" : prefix is null ? name : FieldPath.Child(prefix, name);
            return Map(field);
        }
    }

    private static void Walk(JsonObject s, JsonNode? data, string name, Correlation old, List<Problem> errors)
    {
        if (old.Unchanged(data)) return;

        var types = s.IntOrString() ? new[] { "integer", "string" } : s.Type() is { } t ? [t] : [];
        if (data is null)
        {
            if (types.Length > 0 && !s.Nullable())
                errors.Add(TypeError(name, string.Join(",", types), "null"));
            Enum(s, null, name, errors);
            return;
        }

        // type
        var kind = SchemaNode.KindOf(data);
        if (types.Length > 0)
        {
            var ok = types.Contains(kind)
                || (kind == "number" && types.Contains("integer") && IsIntegral(data))
                || (kind == "integer" && types.Contains("number"));
            if (!ok && kind == "number" && types is ["integer"] && s.Format() is "int32" or "int64")
            {
                // A fraction in an int32/int64 field: the server names the format, and its format check adds a
                // second error without a field.
                errors.Add(TypeError(name, s.Format()!, "float64"));
                var format = s.Format();
                errors.Add(new Problem(name, field => FieldError.Invalid("<nil>", FieldValue.Of(""),
                    $"Checked value must be of type integer with format {format} in {field}")));
            }
            else if (!ok) errors.Add(TypeError(name, string.Join(",", types), kind));
        }

        // allOf, anyOf, oneOf, not
        SchemaProps(s, data, name, errors);

        // string
        if (data is JsonValue sv && sv.GetValueKind() == JsonValueKind.String)
        {
            var text = sv.GetValue<string>();
            var length = text.EnumerateRunes().Count();
            if (s["maxLength"] is JsonValue maxLength && length > Long(maxLength))
                errors.Add(new Problem(name, f => FieldError.TooLong(f, Long(maxLength))));
            else if (s["minLength"] is JsonValue minLength && length < Long(minLength))
                errors.Add(Invalid(name, data, $"{name} in {In} should be at least {Long(minLength)} chars long"));
            else if (SchemaNode.Text(s["pattern"]) is { } pattern && !Matches(pattern, text))
                errors.Add(Invalid(name, data, $"{name} in {In} should match '{pattern}'"));

            if (s.Format() is { } format && Formats.Check(format, text) is false)
                errors.Add(new Problem(name, f => FieldError.TypeInvalid(f, FieldValue.Of(data), $"{name} in {In} must be of type {format}: {GoFormat.Quote(text)}")));
        }

        // number
        if (data is JsonValue nv && nv.GetValueKind() == JsonValueKind.Number)
            Number(s, nv, name, errors);

        // array
        if (data is JsonArray list)
        {
            var items = s.Items();
            if (items is not null)
                for (var i = 0; i < list.Count; i++)
                    Walk(items, list[i], $"{name}[{i}]", old.Item(s, list[i]), errors);
            if (s["minItems"] is JsonValue minItems && list.Count < Long(minItems))
                errors.Add(Invalid(name, JsonValue.Create((long)list.Count), $"{name} in {In} should have at least {Long(minItems)} items"));
            if (s["maxItems"] is JsonValue maxItems && list.Count > Long(maxItems))
                errors.Add(new Problem(name, f => FieldError.TooMany(f, list.Count, Long(maxItems))));
            if (s.Flag("uniqueItems") && list.Select((x, i) => list.Take(i).Any(y => JsonNode.DeepEquals(x, y))).Any(d => d))
                errors.Add(new Problem(name, f => FieldError.Invalid(f, FieldValue.Of(""), $"{name} in {In} shouldn't contain duplicates")));
        }

        // enum
        Enum(s, data, name, errors);

        // object
        if (data is JsonObject obj)
        {
            if (s["minProperties"] is JsonValue minProps && obj.Count < Long(minProps))
                errors.Add(Invalid(name, JsonValue.Create((long)obj.Count), $"{name} in {In} should have at least {Long(minProps)} properties"));
            if (s["maxProperties"] is JsonValue maxProps && obj.Count > Long(maxProps))
                errors.Add(new Problem(name, f => FieldError.TooMany(f, obj.Count, Long(maxProps))));
            var properties = s.Properties();
            if (s.AdditionalProperties() is { } values)
                foreach (var (key, value) in obj)
                    if (properties?[key] is null) Walk(values, value, $"{name}.{key}", old.Key(key), errors);
            if (properties is not null)
                foreach (var (prop, child) in properties)
                    if (child is JsonObject propSchema && obj.TryGetPropertyValue(prop, out var value))
                        Walk(propSchema, value, name.Length == 0 ? prop : $"{name}.{prop}", old.Key(prop), errors);
            foreach (var required in s.Required())
                if (!obj.ContainsKey(required))
                    errors.Add(new Problem($"{name}.{required}", f => FieldError.Required(f)));
        }
    }

    private static void SchemaProps(JsonObject s, JsonNode data, string name, List<Problem> errors)
    {
        if (s["anyOf"] is JsonArray anyOf && anyOf.Count > 0)
        {
            List<Problem>? best = null;
            var passed = false;
            foreach (var branch in anyOf.OfType<JsonObject>())
            {
                var branchErrors = new List<Problem>();
                Walk(branch, data, name, Correlation.None, branchErrors);
                if (branchErrors.Count == 0)
                {
                    passed = true;
                    break;
                }
                best ??= branchErrors;
            }
            if (!passed)
            {
                errors.Add(new Problem("", f => FieldError.Invalid(f, FieldValue.Of(""), $"{GoFormat.Quote(name)} must validate at least one schema (anyOf)")));
                errors.AddRange(best ?? []);
            }
        }
        if (s["oneOf"] is JsonArray oneOf && oneOf.Count > 0)
        {
            var passing = 0;
            List<Problem>? best = null;
            foreach (var branch in oneOf.OfType<JsonObject>())
            {
                var branchErrors = new List<Problem>();
                Walk(branch, data, name, Correlation.None, branchErrors);
                if (branchErrors.Count == 0) passing++;
                else best ??= branchErrors;
            }
            if (passing != 1)
            {
                var more = passing > 1 ? $"Found {passing} valid alternatives" : "";
                errors.Add(new Problem("", f => FieldError.Invalid(f, FieldValue.Of(""), $"{GoFormat.Quote(name)} must validate one and only one schema (oneOf). {more}")));
                if (passing == 0) errors.AddRange(best ?? []);
            }
        }
        if (s["allOf"] is JsonArray allOf && allOf.Count > 0)
        {
            var all = new List<Problem>();
            foreach (var branch in allOf.OfType<JsonObject>()) Walk(branch, data, name, Correlation.None, all);
            if (all.Count > 0)
            {
                errors.Add(new Problem("", f => FieldError.Invalid(f, FieldValue.Of(""), $"{GoFormat.Quote(name)} must validate all the schemas (allOf)")));
                errors.AddRange(all);
            }
        }
        if (s["not"] is JsonObject not)
        {
            var notErrors = new List<Problem>();
            Walk(not, data, name, Correlation.None, notErrors);
            if (notErrors.Count == 0)
                errors.Add(new Problem("", f => FieldError.Invalid(f, FieldValue.Of(""), $"{GoFormat.Quote(name)} must not validate the schema (not)")));
        }
    }

    private static void Number(JsonObject s, JsonValue v, string name, List<Problem> errors)
    {
        var isInt = JsonNumbers.IsInteger(v);
        var d = JsonNumbers.Double(v);
        if (s["multipleOf"] is JsonValue multipleOfNode)
        {
            var factor = JsonNumbers.Double(multipleOfNode);
            var ok = factor > 0 && (isInt && IsIntegral(multipleOfNode)
                ? JsonNumbers.Long(v) % (long)factor == 0
                : Math.Abs(d / factor - Math.Round(d / factor)) < 1e-9);
            if (!ok) errors.Add(Invalid(name, v, $"{name} in {In} should be a multiple of {Bound(multipleOfNode)}"));
        }
        if (s["minimum"] is JsonValue minimum)
        {
            var exclusive = s.Flag("exclusiveMinimum");
            var min = JsonNumbers.Double(minimum);
            var failed = isInt
                ? exclusive ? JsonNumbers.Long(v) <= (long)min : JsonNumbers.Long(v) < (long)min
                : exclusive ? d <= min : d < min;
            if (failed)
                errors.Add(Invalid(name, v, $"{name} in {In} should be greater than {(exclusive ? "" : "or equal to ")}{(isInt ? ((long)min).ToString(CultureInfo.InvariantCulture) : GoFormat.Float(min))}"));
        }
        if (s["maximum"] is JsonValue maximum)
        {
            var exclusive = s.Flag("exclusiveMaximum");
            var max = JsonNumbers.Double(maximum);
            var failed = isInt
                ? exclusive ? JsonNumbers.Long(v) >= (long)max : JsonNumbers.Long(v) > (long)max
                : exclusive ? d >= max : d > max;
            if (failed)
                errors.Add(Invalid(name, v, $"{name} in {In} should be less than {(exclusive ? "" : "or equal to ")}{(isInt ? ((long)max).ToString(CultureInfo.InvariantCulture) : GoFormat.Float(max))}"));
        }
    }

    private static string Bound(JsonValue v) => GoFormat.Float(JsonNumbers.Double(v));

    private static void Enum(JsonObject s, JsonNode? data, string name, List<Problem> errors)
    {
        if (s["enum"] is not JsonArray values || values.Count == 0) return;
        if (values.Any(e => EnumEquals(e, data))) return;
        var supported = values.Select(e => e is JsonValue ev && ev.GetValueKind() == JsonValueKind.String ? ev.GetValue<string>() : GoFormat.Json(e));
        errors.Add(new Problem(name, f => FieldError.NotSupported(f, data is null ? FieldValue.Nil : FieldValue.Of(data), supported)));
    }

    private static bool EnumEquals(JsonNode? allowed, JsonNode? data)
    {
        if (allowed is JsonValue a && data is JsonValue b && a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number)
            return JsonNumbers.Double(a) == JsonNumbers.Double(b);
        return JsonNode.DeepEquals(allowed, data);
    }

    private static Problem TypeError(string name, string expected, string found) =>
        new(name, f => FieldError.TypeInvalid(f, FieldValue.Of(found), $"{name} in {In} must be of type {expected}: {GoFormat.Quote(found)}"));

    private static Problem Invalid(string name, JsonNode? value, string detail) =>
        new(name, f => FieldError.Invalid(f, FieldValue.Of(value), detail));

    private static bool IsIntegral(JsonNode n) =>
        n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && (JsonNumbers.IsInteger(v) || Math.Floor(JsonNumbers.Double(v)) == JsonNumbers.Double(v));

    private static long Long(JsonValue v) => JsonNumbers.IsInteger(v) ? JsonNumbers.Long(v) : (long)JsonNumbers.Double(v);

    private static readonly ConcurrentDictionary<string, Regex?> Patterns = new();

    /// <summary>Compiles an ECMA/RE2-style pattern once; null when .NET cannot compile it.</summary>
    public static Regex? Pattern(string pattern) => Patterns.GetOrAdd(pattern, p =>
    {
        try
        {
            return new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return null;
        }
    });

    private static bool Matches(string pattern, string text) => Pattern(pattern)?.IsMatch(text) ?? false;
}

/// <summary>
/// The old value at the same place in the old object, for ratcheting: present only where the server can correlate
/// (object properties and map values; list-type=map items by their keys), as common.CorrelatedObject does.
/// </summary>
public readonly struct Correlation
{
    private readonly JsonNode? _old;
    private readonly bool _present;

    private Correlation(JsonNode? old, bool present)
    {
        _old = old;
        _present = present;
    }

    public static readonly Correlation None = default;
    public static Correlation Of(JsonNode? old) => new(old, true);

    public bool Present => _present;
    public JsonNode? Old => _old;

    /// <summary>True when the new value equals the correlated old value (its errors would be ratcheted away).</summary>
    public bool Unchanged(JsonNode? value) => _present && JsonNode.DeepEquals(_old, value);

    public Correlation Key(string key) =>
        _present && _old is JsonObject o && o.TryGetPropertyValue(key, out var v) ? Of(v) : None;

    /// <summary>The old item with the same map keys, for list-type=map; none for atomic lists and sets.</summary>
    public Correlation Item(JsonObject listSchema, JsonNode? item)
    {
        if (!_present || _old is not JsonArray oldList || listSchema.ListType() != "map" || item is not JsonObject newItem) return None;
        var keys = listSchema.ListMapKeys();
        foreach (var candidate in oldList.OfType<JsonObject>())
            if (keys.All(k => JsonNode.DeepEquals(candidate[k], newItem[k]))) return Of(candidate);
        return None;
    }
}

/// <summary>The string formats the API server checks (apiextensions validation/formats.go); null when not checked.</summary>
internal static partial class Formats
{
    public static bool? Check(string format, string value) => format.Replace("-", "", StringComparison.Ordinal) switch
    {
        "datetime" => DateTimeRegex().IsMatch(value),
        "date" => DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "byte" => IsBase64(value),
        "uuid" => UuidRegex().IsMatch(value),
        "ipv4" => IPAddress.TryParse(value, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && value.Count(c => c == '.') == 3,
        "ipv6" => IPAddress.TryParse(value, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        "cidr" => value.Split('/') is [var ip, var bits] && IPAddress.TryParse(ip, out _) && int.TryParse(bits, out _),
        "hostname" => HostnameRegex().IsMatch(value) && value.Length <= 255,
        "uri" => Uri.TryCreate(value, UriKind.Absolute, out _) || value.StartsWith('/'),
        "email" => value.Contains('@', StringComparison.Ordinal),
        "mac" => MacRegex().IsMatch(value),
        _ => null,
    };

    private static bool IsBase64(string value)
    {
        Span<byte> buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeRegex();

    [GeneratedRegex("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$")]
    private static partial Regex UuidRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?)*\.?$")]
    private static partial Regex HostnameRegex();

    [GeneratedRegex("^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$")]
    private static partial Regex MacRegex();
}
