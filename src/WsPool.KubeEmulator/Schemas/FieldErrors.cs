using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Errors;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>The cause types of k8s.io/apimachinery/pkg/util/validation/field (the <c>reason</c> of a Status cause).</summary>
public enum FieldErrorType
{
    NotFound, Required, Duplicate, Invalid, NotSupported, Forbidden, TooLong, TooMany, TooFew, Internal, TypeInvalid, TooShort,
}

/// <summary>
/// One field error, formatted as the API server's <c>field.Error</c>: <c>path: Type: value: detail</c>. The bad value is
/// kept as JSON (<see cref="Omit"/> leaves it out) and printed the way Go prints it: strings quoted, numbers and booleans
/// bare, everything else as JSON.
/// </summary>
public sealed record FieldError(FieldErrorType Type, string Field, FieldValue Value, string Detail = "")
{
    public string Reason => Type switch
    {
        FieldErrorType.NotFound => "FieldValueNotFound",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.TooFew => "FieldValueTooFew",
        FieldErrorType.Internal => "InternalError",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        FieldErrorType.TooShort => "FieldValueTooShort",
        _ => throw new ArgumentOutOfRangeException(nameof(Type)),
    };

    private string TypeText => Type switch
    {
        FieldErrorType.NotFound => "Not found",
        FieldErrorType.Required => "Required value",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.Invalid or FieldErrorType.TypeInvalid => "Invalid value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.TooLong => "Too long",
        FieldErrorType.TooMany => "Too many",
        FieldErrorType.TooFew => "Too few",
        FieldErrorType.Internal => "Internal error",
        FieldErrorType.TooShort => "Too short",
        _ => throw new ArgumentOutOfRangeException(nameof(Type)),
    };

    /// <summary>The message without the field (a Status cause's <c>message</c>).</summary>
    public string Body
    {
        get
        {
            var s = Type switch
            {
                FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong or FieldErrorType.TooShort
                    or FieldErrorType.Internal => TypeText,
                _ when Value.IsOmitted => TypeText,
                _ => $"{TypeText}: {Value}",
            };
            return Detail.Length > 0 ? $"{s}: {Detail}" : s;
        }
    }

    public override string ToString() => $"{Field}: {Body}";

    // ---------------------------------------------------------------- constructors named as in field/errors.go

    public static FieldError Invalid(string field, FieldValue value, string detail) => new(FieldErrorType.Invalid, field, value, detail);
    public static FieldError TypeInvalid(string field, FieldValue value, string detail) => new(FieldErrorType.TypeInvalid, field, value, detail);
    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, FieldValue.Of(""), detail);
    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, FieldValue.Of(""), detail);
    public static FieldError Duplicate(string field, FieldValue value) => new(FieldErrorType.Duplicate, field, value);
    public static FieldError Internal(string field, string detail) => new(FieldErrorType.Internal, field, FieldValue.Of(""), $"internal error: {detail}");

    public static FieldError NotSupported(string field, FieldValue value, IEnumerable<string> supported)
    {
        var quoted = supported.Select(GoFormat.Quote).ToList();
        return new(FieldErrorType.NotSupported, field, value, quoted.Count > 0 ? "supported values: " + string.Join(", ", quoted) : "");
    }

    public static FieldError TooLong(string field, long max) =>
        new(FieldErrorType.TooLong, field, FieldValue.Of("<value omitted>"),
            max >= 0 ? $"may not be more than {max} {(max == 1 ? "byte" : "bytes")}" : "value is too long");

    public static FieldError TooMany(string field, long actual, long max) =>
        new(FieldErrorType.TooMany, field, FieldValue.Of(actual),
            max >= 0 ? $"must have at most {max} {(max == 1 ? "item" : "items")}" : "has too many items");
}

/// <summary>A field error's bad value: JSON (a null node is JSON null), or omitted.</summary>
public readonly struct FieldValue
{
    private readonly JsonNode? _node;
    private readonly bool _present;
    private readonly bool _struct;

    private FieldValue(JsonNode? node, bool present, bool isStruct = false)
    {
        _node = node;
        _present = present;
        _struct = isStruct;
    }

    /// <summary>A Go struct marshalled to JSON: fields in declaration order (not sorted like a map).</summary>
    public static FieldValue Struct(JsonObject fields) => new(fields.DeepClone(), true, isStruct: true);

    public static readonly FieldValue Omit = default;
    public static FieldValue Of(JsonNode? node) => new(node?.DeepClone(), true);
    public static FieldValue Of(string s) => new(JsonValue.Create(s), true);
    public static FieldValue Of(long n) => new(JsonValue.Create(n), true);
    public static FieldValue Of(bool b) => new(JsonValue.Create(b), true);

    /// <summary>Go prints a nil interface{} through json.Marshal: <c>null</c>.</summary>
    public static readonly FieldValue Nil = new(null, true);

    public bool IsOmitted => !_present;

    public override string ToString() => !_present ? "" : _struct ? GoFormat.Json(_node, sortKeys: false) : GoFormat.Value(_node);
}

/// <summary>Prints values the way the API server's Go code does (fmt %q, %v and encoding/json).</summary>
public static class GoFormat
{
    /// <summary>fmt's %v of a JSON-decoded value inside a field error: strings quoted, scalars bare, the rest as JSON.</summary>
    public static string Value(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => Json(node),
    };

    /// <summary>A number as Go prints it: int64 in decimal, float64 with %v (shortest, exponent from 1e+06 or below 1e-04).</summary>
    public static string Number(JsonValue v) =>
        JsonNumbers.IsInteger(v) ? JsonNumbers.Long(v).ToString(CultureInfo.InvariantCulture) : Float(JsonNumbers.Double(v));

    /// <summary>strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v uses for float64.</summary>
    public static string Float(double f)
    {
        if (double.IsNaN(f)) return "NaN";
        if (double.IsPositiveInfinity(f)) return "+Inf";
        if (double.IsNegativeInfinity(f)) return "-Inf";
        if (f == 0) return 1 / f < 0 ? "-0" : "0";
        var sign = f < 0 ? "-" : "";
        var (digits, exp) = Decompose(Math.Abs(f));
        // strconv: %e when the exponent is below -4 or at least the precision, which is 6 for the shortest form
        if (exp < -4 || exp >= 6)
        {
            var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
            return $"{sign}{mantissa}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }
        if (exp < 0) return $"{sign}0.{new string('0', -exp - 1)}{digits}";
        if (digits.Length <= exp + 1) return sign + digits + new string('0', exp + 1 - digits.Length);
        return $"{sign}{digits[..(exp + 1)]}.{digits[(exp + 1)..]}";
    }

    /// <summary>Shortest round-trip decimal digits and the decimal exponent of the first digit.</summary>
    private static (string Digits, int Exponent) Decompose(double f)
    {
        var s = f.ToString("R", CultureInfo.InvariantCulture);
        var exp = 0;
        var e = s.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
            s = s[..e];
        }
        var dot = s.IndexOf('.');
        string intPart = dot >= 0 ? s[..dot] : s, frac = dot >= 0 ? s[(dot + 1)..] : "";
        var all = (intPart + frac).TrimStart('0');
        var leadingZeros = (intPart + frac).Length - all.Length;
        exp += intPart.Length - 1 - leadingZeros;
        all = all.TrimEnd('0');
        return (all.Length == 0 ? "0" : all, exp);
    }

    /// <summary>strconv.Quote: a double-quoted Go string literal.</summary>
    public static string Quote(string s)
    {
        var b = new StringBuilder(s.Length + 2).Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\a': b.Append("\\a"); break;
                case '\b': b.Append("\\b"); break;
                case '\f': b.Append("\\f"); break;
                case '\v': b.Append("\\v"); break;
                case < 0x20 or 0x7f: b.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}"); break;
                default: b.Append(rune.ToString()); break;
            }
        }
        return b.Append('"').ToString();
    }

    /// <summary>encoding/json's Marshal: map keys sorted, &lt;, &gt; and &amp; escaped.</summary>
    public static string Json(JsonNode? node, bool sortKeys = true)
    {
        var b = new StringBuilder();
        WriteJson(b, node, sortKeys);
        return b.ToString();
    }

    private static void WriteJson(StringBuilder b, JsonNode? node, bool sortKeys = true)
    {
        switch (node)
        {
            case null: b.Append("null"); break;
            case JsonObject o:
                b.Append('{');
                var first = true;
                foreach (var (k, v) in sortKeys ? o.OrderBy(p => p.Key, StringComparer.Ordinal) : o.AsEnumerable())
                {
                    if (!first) b.Append(',');
                    first = false;
                    JsonString(b, k);
                    b.Append(':');
                    WriteJson(b, v, sortKeys);
                }
                b.Append('}');
                break;
            case JsonArray a:
                b.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) b.Append(',');
                    WriteJson(b, a[i], sortKeys);
                }
                b.Append(']');
                break;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String: JsonString(b, v.GetValue<string>()); break;
                    case JsonValueKind.Number:
                        b.Append(JsonNumbers.IsInteger(v) ? JsonNumbers.Long(v).ToString(CultureInfo.InvariantCulture) : JsonFloat(JsonNumbers.Double(v)));
                        break;
                    case JsonValueKind.True: b.Append("true"); break;
                    case JsonValueKind.False: b.Append("false"); break;
                    default: b.Append("null"); break;
                }
                break;
        }
    }

    /// <summary>encoding/json float64: 'f' format unless the exponent is below -6 or from 21 on.</summary>
    private static string JsonFloat(double f)
    {
        var abs = Math.Abs(f);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var g = Float(f);
            // Go cleans e-07 to e-7 in JSON
            return g.Replace("e-0", "e-", StringComparison.Ordinal).Replace("e+0", "e+", StringComparison.Ordinal);
        }
        return Float(f) is var s && s.Contains('e') ? f.ToString("0.#################", CultureInfo.InvariantCulture) : s;
    }

    private static void JsonString(StringBuilder b, string s)
    {
        b.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '<': b.Append("\\u003c"); break;
                case '>': b.Append("\\u003e"); break;
                case '&': b.Append("\\u0026"); break;
                case '\u2028': b.Append("\\u2028"); break;
                case '\u2029': b.Append("\\u2029"); break;
                case < ' ': b.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: b.Append(c); break;
            }
        }
        b.Append('"');
    }
}

/// <summary>JSON numbers as the API server decodes them: integers (no fraction or exponent) are int64, the rest float64.</summary>
public static class JsonNumbers
{
    public static bool IsInteger(JsonValue v)
    {
        if (v.TryGetValue<JsonElement>(out var e))
        {
            if (e.ValueKind != JsonValueKind.Number) return false;
            var raw = e.GetRawText();
            return raw.IndexOfAny(['.', 'e', 'E']) < 0 && e.TryGetInt64(out _);
        }
        return v.TryGetValue<long>(out _) || v.TryGetValue<int>(out _) || v.TryGetValue<short>(out _) || v.TryGetValue<byte>(out _)
            || v.TryGetValue<uint>(out _);
    }

    public static long Long(JsonValue v)
    {
        if (v.TryGetValue<JsonElement>(out var e)) return e.GetInt64();
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<uint>(out var u)) return u;
        if (v.TryGetValue<short>(out var s)) return s;
        return v.GetValue<byte>();
    }

    public static double Double(JsonValue v)
    {
        if (v.TryGetValue<JsonElement>(out var e)) return e.GetDouble();
        if (v.TryGetValue<double>(out var d)) return d;
        if (v.TryGetValue<float>(out var f)) return f;
        if (v.TryGetValue<decimal>(out var m)) return (double)m;
        return Long(v);
    }
}

/// <summary>Field paths as field.Path prints them: children joined with dots, indexes and keys in brackets.</summary>
public static class FieldPath
{
    public static string Child(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";
    public static string Index(string parent, int index) => $"{parent}[{index}]";
    public static string Key(string parent, string key) => $"{parent}[{key}]";
}

/// <summary>The 422 Invalid answer: a Status with one cause per field error, as apierrors.NewInvalid builds it.</summary>
public static class InvalidStatus
{
    public static ApiError Error(string? group, string kind, string? name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Body, ["field"] = e.Field });
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name)) details["name"] = name;
        if (!string.IsNullOrEmpty(group)) details["group"] = group;
        if (!string.IsNullOrEmpty(kind)) details["kind"] = kind;
        details["causes"] = causes;
        var qualified = string.IsNullOrEmpty(group) ? kind : $"{kind}.{group}";
        var messages = errors.Select(e => e.ToString()).Distinct().ToList();
        var text = messages.Count switch
        {
            0 => "",
            1 => ": " + messages[0],
            _ => ": [" + string.Join(", ", messages) + "]",
        };
        return new ApiError(422, "Invalid", $"{qualified} {GoFormat.Quote(name ?? "")} is invalid{text}", details);
    }
}
