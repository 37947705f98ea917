using System.Text.Json;
using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// The rules that make an openAPIV3Schema structural (apiextensions-apiserver schema/validation.go and complete.go,
/// documented under "Specifying a structural schema"): every node has a type unless int-or-string or
/// preserve-unknown-fields allows none; arrays have items; value validations inside allOf/anyOf/oneOf/not carry no
/// type, default, description, nullable or extensions and name only declared properties; metadata at the root may
/// restrict only name and generateName and nowhere else may be declared; the root is an object. Errors are sorted by
/// their text, as the server sorts them.
/// </summary>
public static class StructuralSchema
{
    private enum Level { Root, Item, Field }

    private static readonly string[] Unsupported = ["id", "$schema", "$ref", "patternProperties", "dependencies", "additionalItems", "definitions"];

    /// <summary>The error NewStructural would return (a field the structural model cannot hold); null when none.</summary>
    public static string? ConversionError(JsonObject s)
    {
        foreach (var node in Nodes(s))
        {
            foreach (var key in Unsupported)
                if (node.ContainsKey(key) && node[key] is not null && !(node[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0))
                    return $"OpenAPIV3Schema '{(key == "$schema" ? "schema" : key)}' is not supported";
            if (node["items"] is JsonArray) return "OpenAPIV3Schema 'items' must be a schema, but is an array";
        }
        return null;
    }

    public static List<FieldError> Validate(JsonObject s, string path)
    {
        var errors = new List<FieldError>();
        Invariants(s, Level.Root, path, errors);
        Completeness(s, s, path, errors);
        errors.Sort((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        return errors;
    }

    private static void Invariants(JsonObject s, Level level, string path, List<FieldError> errors)
    {
        if (s.Type() == "array" && s.Items() is null) errors.Add(FieldError.Required(FieldPath.Child(path, "items"), "must be specified"));
        if (s.Items() is { } items) Invariants(items, Level.Item, FieldPath.Child(path, "items"), errors);
        if (s.Properties() is { } properties)
            foreach (var (name, child) in properties)
                if (child is JsonObject c) Invariants(c, Level.Field, FieldPath.Key(FieldPath.Child(path, "properties"), name), errors);
        if (s.ContainsKey("additionalProperties") && s["additionalProperties"] is not null)
        {
            if (level == Level.Root) errors.Add(FieldError.Forbidden(FieldPath.Child(path, "additionalProperties"), "must not be used at the root"));
            if (s.AdditionalProperties() is { } values) Invariants(values, Level.Field, FieldPath.Child(path, "additionalProperties"), errors);
        }

        if (s.IntOrString() && s.PreservesUnknownFields())
            errors.Add(FieldError.Invalid(FieldPath.Child(path, "x-kubernetes-preserve-unknown-fields"), FieldValue.Of(true), "must be false if x-kubernetes-int-or-string is true"));
        if (s.IntOrString() && s.EmbeddedResource())
            errors.Add(FieldError.Invalid(FieldPath.Child(path, "x-kubernetes-embedded-resource"), FieldValue.Of(true), "must be false if x-kubernetes-int-or-string is true"));

        ValueValidation(s, IsIntOrStringAnyOf(s), level, path, errors);

        var type = s.Type() ?? "";
        if (s.EmbeddedResource() && type != "object")
        {
            if (type.Length == 0) errors.Add(FieldError.Required(FieldPath.Child(path, "type"), "must be object if x-kubernetes-embedded-resource is true"));
            else errors.Add(FieldError.Invalid(FieldPath.Child(path, "type"), FieldValue.Of(type), "must be object if x-kubernetes-embedded-resource is true"));
        }
        else if (type.Length == 0 && !s.IntOrString() && !s.PreservesUnknownFields())
        {
            errors.Add(FieldError.Required(FieldPath.Child(path, "type"), level switch
            {
                Level.Root => "must not be empty at the root",
                Level.Item => "must not be empty for specified array items",
                _ => "must not be empty for specified object fields",
            }));
        }
        if (s.EmbeddedResource() && s["additionalProperties"] is not null)
            errors.Add(FieldError.Forbidden(FieldPath.Child(path, "additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set"));
        if (level == Level.Root && type.Length > 0 && type != "object")
            errors.Add(FieldError.Invalid(FieldPath.Child(path, "type"), FieldValue.Of(type), "must be object at the root"));

        var checkMetadata = level == Level.Root || s.EmbeddedResource();
        foreach (var name in new[] { "kind", "apiVersion" })
            if (checkMetadata && s.Property(name) is { } prop && prop.Type() != "string")
                errors.Add(FieldError.Invalid(FieldPath.Child(FieldPath.Key(FieldPath.Child(path, "properties"), name), "type"), FieldValue.Of(prop.Type() ?? ""), "must be string"));
        if (s.Property("metadata") is { } metadata)
            Metadata(metadata, checkMetadata, level, FieldPath.Key(FieldPath.Child(path, "properties"), "metadata"), errors);
        if (s.EmbeddedResource() && !s.PreservesUnknownFields() && s.Properties() is not { Count: > 0 })
            errors.Add(FieldError.Required(FieldPath.Child(path, "properties"), "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
    }

    private static void Metadata(JsonObject s, bool checkMetadata, Level level, string path, List<FieldError> errors)
    {
        if (checkMetadata && s.Type() != "object")
            errors.Add(FieldError.Invalid(FieldPath.Child(path, "type"), FieldValue.Of(s.Type() ?? ""), "must be object"));
        if (level != Level.Root) return;
        // Only name and generateName may be restricted (by value validations); everything else is implicit.
        var allowed = new HashSet<string> { "type", "default" };
        var props = s.Properties();
        var onlyNames = props is null || props.All(p => p.Key is "name" or "generateName");
        foreach (var (key, _) in s)
        {
            if (allowed.Contains(key)) continue;
            if (key == "properties" && onlyNames) continue;
            errors.Add(FieldError.Forbidden(path, "must not specify anything other than name and generateName, but metadata is implicitly specified"));
            return;
        }
    }

    private static bool IsIntOrStringAnyOf(JsonObject s) =>
        s["anyOf"] is JsonArray { Count: 2 } anyOf
        && JsonNode.DeepEquals(anyOf[0], new JsonObject { ["type"] = "integer" })
        && JsonNode.DeepEquals(anyOf[1], new JsonObject { ["type"] = "string" });

    private static void ValueValidation(JsonObject v, bool skipAnyOf, Level level, string path, List<FieldError> errors)
    {
        if (!skipAnyOf && v["anyOf"] is JsonArray anyOf)
            for (var i = 0; i < anyOf.Count; i++)
                if (anyOf[i] is JsonObject n) Nested(n, level, FieldPath.Index(FieldPath.Child(path, "anyOf"), i), errors);
        if (v["allOf"] is JsonArray allOf)
            for (var i = 0; i < allOf.Count; i++)
                if (allOf[i] is JsonObject n) Nested(n, level, FieldPath.Index(FieldPath.Child(path, "allOf"), i), errors, skipAnyOf: i == 0 && IsIntOrStringAnyOf(n), allowValidations: true);
        if (v["oneOf"] is JsonArray oneOf)
            for (var i = 0; i < oneOf.Count; i++)
                if (oneOf[i] is JsonObject n) Nested(n, level, FieldPath.Index(FieldPath.Child(path, "oneOf"), i), errors);
        if (v["not"] is JsonObject not) Nested(not, level, FieldPath.Child(path, "not"), errors);
        if (SchemaNode.Text(v["pattern"]) is { Length: > 0 } pattern && SchemaValidator.Pattern(pattern) is null)
            errors.Add(FieldError.Invalid(FieldPath.Child(path, "pattern"), FieldValue.Of(pattern), "must be a valid regular expression, but isn't: error parsing regexp"));
    }

    private static void Nested(JsonObject v, Level level, string path, List<FieldError> errors, bool skipAnyOf = false, bool allowValidations = false)
    {
        ValueValidation(v, skipAnyOf, level, path, errors);
        if (v.Items() is { } items) Nested(items, level, FieldPath.Child(path, "items"), errors);
        if (v.Properties() is { } properties)
            foreach (var (name, child) in properties)
                if (child is JsonObject c) Nested(c, Level.Field, FieldPath.Key(FieldPath.Child(path, "properties"), name), errors);
        void Forbid(bool present, string field, string detail)
        {
            if (present) errors.Add(FieldError.Forbidden(FieldPath.Child(path, field), detail));
        }
        Forbid(v.Type() is { Length: > 0 }, "type", "must be empty to be structural");
        if (v["additionalProperties"] is not null)
            errors.Add(FieldError.Forbidden(FieldPath.Child(path, "additionalProperties"), "must be undefined to be structural"));
        Forbid(v.HasDefault(), "default", "must be undefined to be structural");
        Forbid(SchemaNode.Text(v["title"]) is { Length: > 0 }, "title", "must be empty to be structural");
        Forbid(SchemaNode.Text(v["description"]) is { Length: > 0 }, "description", "must be empty to be structural");
        Forbid(v.Nullable(), "nullable", "must be false to be structural");
        Forbid(v.PreservesUnknownFields(), "x-kubernetes-preserve-unknown-fields", "must be false to be structural");
        Forbid(v.EmbeddedResource(), "x-kubernetes-embedded-resource", "must be false to be structural");
        Forbid(v.IntOrString(), "x-kubernetes-int-or-string", "must be false to be structural");
        Forbid(v.ListMapKeys().Count > 0, "x-kubernetes-list-map-keys", "must be empty to be structural");
        Forbid(v["x-kubernetes-list-type"] is not null, "x-kubernetes-list-type", "must be undefined to be structural");
        Forbid(v["x-kubernetes-map-type"] is not null, "x-kubernetes-map-type", "must be undefined to be structural");
        Forbid(v.Validations() is { Count: > 0 } && !allowValidations, "x-kubernetes-validations", "must be empty to be structural");
        if (v.Property("metadata") is not null)
            errors.Add(FieldError.Forbidden(FieldPath.Key(FieldPath.Child(path, "properties"), "metadata"), "must not be specified in a nested context"));
    }

    /// <summary>Properties named inside the root's value validations must exist in the structural part (complete.go).</summary>
    private static void Completeness(JsonObject s, JsonObject v, string path, List<FieldError> errors, string? vPath = null)
    {
        vPath ??= path;
        foreach (var (key, isArray) in new[] { ("not", false), ("allOf", true), ("anyOf", true), ("oneOf", true) })
        {
            if (!isArray && v[key] is JsonObject single) NestedCompleteness(single, s, path, FieldPath.Child(vPath, key), errors);
            if (isArray && v[key] is JsonArray list)
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is JsonObject n) NestedCompleteness(n, s, path, FieldPath.Index(FieldPath.Child(vPath, key), i), errors);
        }
        // Like the server, only the root node's value validations are checked for completeness.
    }

    private static void NestedCompleteness(JsonObject v, JsonObject? s, string sPath, string vPath, List<FieldError> errors)
    {
        if (s is null)
        {
            errors.Add(FieldError.Required(sPath, $"because it is defined in {vPath}"));
            return;
        }
        Completeness(s, v, sPath, errors, vPath);
        if (v.Items() is { } items) NestedCompleteness(items, s.Items(), FieldPath.Child(sPath, "items"), FieldPath.Child(vPath, "items"), errors);
        if (v.Properties() is { } properties)
            foreach (var (name, child) in properties)
            {
                if (child is not JsonObject c) continue;
                var sChild = s.Property(name);
                var sChildPath = FieldPath.Key(FieldPath.Child(sPath, "properties"), name);
                var vChildPath = FieldPath.Key(FieldPath.Child(vPath, "properties"), name);
                if (sChild is null) errors.Add(FieldError.Required(sChildPath, $"because it is defined in {vChildPath}"));
                else NestedCompleteness(c, sChild, sChildPath, vChildPath, errors);
            }
    }

    /// <summary>Every schema node (properties, items, additionalProperties, allOf/anyOf/oneOf/not).</summary>
    public static IEnumerable<JsonObject> Nodes(JsonObject s)
    {
        yield return s;
        var children = new List<JsonObject>();
        if (s.Properties() is { } p) children.AddRange(p.Select(x => x.Value).OfType<JsonObject>());
        if (s.Items() is { } i) children.Add(i);
        if (s.AdditionalProperties() is { } a) children.Add(a);
        foreach (var key in new[] { "allOf", "anyOf", "oneOf" })
            if (s[key] is JsonArray list) children.AddRange(list.OfType<JsonObject>());
        if (s["not"] is JsonObject n) children.Add(n);
        foreach (var child in children)
            foreach (var inner in Nodes(child)) yield return inner;
    }
}
