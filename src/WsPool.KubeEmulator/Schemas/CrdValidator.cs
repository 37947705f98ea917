using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// What the API server refuses in a CustomResourceDefinition (apiextensions validation.go), for the parts wspool's
/// CRDs exercise: names, versions and storage, a schema per version, structural schemas, every default valid against
/// its own schema and its CEL rules as written (no nested defaulting first) and free of unknown fields, the
/// x-kubernetes extensions' constraints, and every CEL rule compiling. When all versions share one schema the server
/// reports it under <c>spec.validation.openAPIV3Schema</c>, otherwise under <c>spec.versions[i].schema.openAPIV3Schema</c>.
/// </summary>
public static class CrdValidator
{
    public const string Group = "apiextensions.k8s.io";
    public const string Kind = "CustomResourceDefinition";

    public static List<FieldError> Validate(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var spec = crd["spec"] as JsonObject ?? new JsonObject();
        var group = SchemaNode.Text(spec["group"]) ?? "";
        var names = spec["names"] as JsonObject ?? new JsonObject();
        var plural = SchemaNode.Text(names["plural"]) ?? "";
        var name = SchemaNode.Text(crd["metadata"]?["name"]) ?? "";
        if (name != $"{plural}.{group}")
            errors.Add(FieldError.Invalid("metadata.name", FieldValue.Of(name), "must be spec.names.plural+\".\"+spec.group"));
        if (group.Length == 0) errors.Add(FieldError.Required("spec.group"));
        else if (!group.Contains('.')) errors.Add(FieldError.Invalid("spec.group", FieldValue.Of(group), "should be a domain with at least one dot"));
        if (SchemaNode.Text(spec["scope"]) is not ("Namespaced" or "Cluster"))
            errors.Add(FieldError.NotSupported("spec.scope", FieldValue.Of(SchemaNode.Text(spec["scope"]) ?? ""), ["Cluster", "Namespaced"]));
        if (plural.Length == 0) errors.Add(FieldError.Required("spec.names.plural"));
        if (SchemaNode.Text(names["kind"]) is not { Length: > 0 }) errors.Add(FieldError.Required("spec.names.kind"));

        var versions = (spec["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Invalid("spec.versions", FieldValue.Of(new JsonArray()), "must have exactly one version marked as storage version"));
            return errors;
        }
        var storage = versions.Count(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b);
        if (storage != 1)
            errors.Add(FieldError.Invalid("spec.versions", FieldValue.Of(spec["versions"]), "must have exactly one version marked as storage version"));

        var schemas = versions.Select(v => v["schema"]?["openAPIV3Schema"] as JsonObject).ToList();
        var shared = schemas.All(s => s is not null && JsonNode.DeepEquals(s, schemas[0]));
        for (var i = 0; i < versions.Count; i++)
        {
            if (schemas[i] is null)
            {
                errors.Add(FieldError.Required($"spec.versions[{i}].schema.openAPIV3Schema", "schemas are required"));
                continue;
            }
            if (shared && i > 0) continue;
            var path = shared ? "spec.validation.openAPIV3Schema" : $"spec.versions[{i}].schema.openAPIV3Schema";
            var statusEnabled = versions[i]["subresources"]?["status"] is not null;
            errors.AddRange(Schema(schemas[i]!, path, statusEnabled));
        }
        return errors;
    }

    /// <summary>validateCustomResourceDefinitionValidation for one openAPIV3Schema at <paramref name="path"/>.</summary>
    public static List<FieldError> Schema(JsonObject schema, string path, bool statusEnabled = false)
    {
        var errors = new List<FieldError>();
        if (statusEnabled && schema.Type() is { } rootType && rootType != "object")
            errors.Add(FieldError.Invalid(path + ".type", FieldValue.Of(rootType), "only \"object\" is allowed as the type at the root of the schema if the status subresource is enabled"));
        if (schema.Nullable()) errors.Add(FieldError.Forbidden(path + ".nullable", "nullable cannot be true at the root"));

        var celReady = false;
        var initErrors = new List<FieldError>();
        if (StructuralSchema.ConversionError(schema) is { } conversion)
            initErrors.Add(FieldError.Invalid(path, FieldValue.Of(""), conversion));
        else if (StructuralSchema.Validate(schema, path) is { Count: > 0 } structural)
            errors.AddRange(structural);
        else if (DefaultErrors(schema, path) is { Count: > 0 } defaults)
            errors.AddRange(defaults);
        else
            celReady = true;

        Walk(schema, path, new Context(AllowDefaults: true, null, InsideMeta: false, UncorrelatablePath: null), isRoot: true, celReady, errors);
        if (errors.Count == 0) errors.AddRange(initErrors);
        return errors;
    }

    // ---------------------------------------------------------------- defaults

    /// <summary>
    /// structuraldefaulting.ValidateDefaults: each default must have no unknown fields and be valid against its own
    /// node's schema and CEL rules, evaluated on the default as written.
    /// </summary>
    private static List<FieldError> DefaultErrors(JsonObject root, string rootPath)
    {
        var errors = new List<FieldError>();
        void Visit(JsonObject s, string path)
        {
            if (s.HasDefault())
            {
                var value = s.Default()!;
                var at = path + ".default";
                var pruned = value.DeepClone();
                if (pruned is JsonObject prunedObject) Pruner.Prune(prunedObject, s, isResourceRoot: s.EmbeddedResource());
                else PruneValue(pruned, s);
                if (!JsonNode.DeepEquals(pruned, value))
                    errors.Add(FieldError.Invalid(at, FieldValue.Of(value), "must not have unknown fields"));
                if (SchemaValidator.Validate(s, value, at) is { Count: > 0 } schemaErrors) errors.AddRange(schemaErrors);
                else
                {
                    var celErrors = CelValidator.Validate(s, value, Correlation.Of(value), at);
                    errors.AddRange(celErrors);
                    if (celErrors.Count == 0) errors.AddRange(CelValidator.Validate(s, value, Correlation.None, at));
                }
            }
            if (s.Items() is { } items) Visit(items, path + ".items");
            if (s.Properties() is { } properties)
                foreach (var (name, child) in properties)
                    if (child is JsonObject c) Visit(c, $"{path}.properties[{name}]");
        }
        Visit(root, rootPath);
        return errors;
    }

    private static void PruneValue(JsonNode? value, JsonObject s)
    {
        if (value is JsonArray list && s.Items() is { } items)
            foreach (var item in list)
                if (item is JsonObject o) Pruner.Prune(o, items, isResourceRoot: false);
    }

    // ---------------------------------------------------------------- the schema walk

    private sealed record Context(bool AllowDefaults, string? DisallowDefaultsReason, bool InsideMeta, string? UncorrelatablePath)
    {
        public Context ForbidDefaults(string reason) => this with { AllowDefaults = false, DisallowDefaultsReason = reason };
        public Context ForbidOldSelf(string path) => UncorrelatablePath is null ? this with { UncorrelatablePath = path } : this;
    }

    private static readonly HashSet<string> OpenApiTypes = ["array", "boolean", "integer", "number", "object", "string"];
    private static readonly string[] SupportedReasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];

    private static void Walk(JsonObject s, string path, Context ctx, bool isRoot, bool celReady, List<FieldError> errors)
    {
        var before = errors.Count;
        var type = s.Type() ?? "";
        if (type.Length > 0 && !OpenApiTypes.Contains(type))
            errors.Add(FieldError.NotSupported(path + ".type", FieldValue.Of(type), OpenApiTypes.Order(StringComparer.Ordinal)));
        if (s.HasDefault() && !ctx.AllowDefaults)
            errors.Add(FieldError.Forbidden(path + ".default", "must not be set" + (ctx.DisallowDefaultsReason is { } r ? " " + r : "")));
        if (type == "null") errors.Add(FieldError.Forbidden(path + ".type", "type cannot be set to null, use nullable as an alternative"));
        if (s.Flag("uniqueItems"))
            errors.Add(FieldError.Forbidden(path + ".uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));

        if (s["additionalProperties"] is { } additional)
        {
            var allowsAll = additional is JsonValue b && b.TryGetValue<bool>(out var allows) && allows;
            if (s.Properties() is { Count: > 0 } && !allowsAll)
                errors.Add(FieldError.Forbidden(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"));
            if (s.AdditionalProperties() is { } values)
                Walk(values, path + ".additionalProperties", ctx.InsideMeta ? ctx.ForbidDefaults("inside additionalProperties applying to object metadata") : ctx, false, celReady, errors);
        }
        if (s.Properties() is { } properties)
            foreach (var (property, child) in properties)
            {
                if (child is not JsonObject c) continue;
                var sub = s.MapType() == "atomic" ? ctx.ForbidOldSelf(path) : ctx;
                if ((isRoot || s.EmbeddedResource()) && property is "metadata" or "kind" or "apiVersion")
                {
                    sub = sub with { InsideMeta = true };
                    if (isRoot) sub = sub.ForbidDefaults($"in top-level {property}");
                }
                Walk(c, $"{path}.properties[{property}]", sub, false, celReady, errors);
            }
        foreach (var key in new[] { "allOf", "anyOf", "oneOf" })
            if (s[key] is JsonArray list)
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is JsonObject n) Walk(n, $"{path}.{key}[{i}]", ctx, false, celReady: false, errors);
        if (s["not"] is JsonObject not) Walk(not, path + ".not", ctx, false, celReady: false, errors);
        if (s.Items() is { } items)
            Walk(items, path + ".items", s.ListType() == "map" ? ctx : ctx.ForbidOldSelf(path), false, celReady, errors);

        if (s["x-kubernetes-preserve-unknown-fields"] is JsonValue preserve && preserve.TryGetValue<bool>(out var p) && !p)
            errors.Add(FieldError.Invalid(path + ".x-kubernetes-preserve-unknown-fields", FieldValue.Of(false), "must be true or undefined"));
        if (s.MapType() is { } mapType)
        {
            if (type != "object")
                errors.Add(type.Length == 0
                    ? FieldError.Required(path + ".type", "must be object if x-kubernetes-map-type is specified")
                    : FieldError.Invalid(path + ".type", FieldValue.Of(type), "must be object if x-kubernetes-map-type is specified"));
            if (mapType is not ("atomic" or "granular"))
                errors.Add(FieldError.NotSupported(path + ".x-kubernetes-map-type", FieldValue.Of(mapType), ["atomic", "granular"]));
        }
        var listType = s.ListType();
        if (listType is not null && type != "array")
            errors.Add(type.Length == 0
                ? FieldError.Required(path + ".type", "must be array if x-kubernetes-list-type is specified")
                : FieldError.Invalid(path + ".type", FieldValue.Of(type), "must be array if x-kubernetes-list-type is specified"));
        else if (listType == "set" && s.Items() is { } setItems)
        {
            if (setItems.Type() == "array" && setItems.ListType() is { } inner && inner != "atomic")
                errors.Add(FieldError.Invalid(path + ".items.x-kubernetes-list-type", FieldValue.Of(inner), "must be atomic as item of a list with x-kubernetes-list-type=set"));
            if (setItems.Type() == "object" && setItems.MapType() != "atomic")
                errors.Add(FieldError.Invalid(path + ".items.x-kubernetes-map-type", FieldValue.Nil, "must be atomic as item of a list with x-kubernetes-list-type=set"));
        }
        if (listType is not null and not ("atomic" or "set" or "map"))
            errors.Add(FieldError.NotSupported(path + ".x-kubernetes-list-type", FieldValue.Of(listType), ["atomic", "set", "map"]));
        var mapKeys = s.ListMapKeys();
        if (mapKeys.Count > 0 && listType != "map")
            errors.Add(listType is null
                ? FieldError.Required(path + ".x-kubernetes-list-type", "must be map if x-kubernetes-list-map-keys is non-empty")
                : FieldError.Invalid(path + ".x-kubernetes-list-type", FieldValue.Of(listType), "must be map if x-kubernetes-list-map-keys is non-empty"));
        if (listType == "map") ListMap(s, path, mapKeys, errors);
        if (listType is "map" or "set" && s.Items() is { } keyed) MapListKeys(s, keyed, path, listType, mapKeys, errors);

        Validations(s, path, ctx, celReady && errors.Count == before, errors);
    }

    private static void ListMap(JsonObject s, string path, IReadOnlyList<string> mapKeys, List<FieldError> errors)
    {
        if (mapKeys.Count == 0) errors.Add(FieldError.Required(path + ".x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"));
        if (s["items"] is null) errors.Add(FieldError.Required(path + ".items", "must have a schema if x-kubernetes-list-type is map"));
        if (s.Items() is not { } items) return;
        if (items.Type() != "object")
        {
            errors.Add(FieldError.Invalid(path + ".items.type", FieldValue.Of(items.Type() ?? ""), "must be object if parent array's x-kubernetes-list-type is map"));
            return;
        }
        var seen = new HashSet<string>();
        var keysValue = FieldValue.Of(new JsonArray(mapKeys.Select(k => (JsonNode)JsonValue.Create(k)).ToArray()));
        foreach (var key in mapKeys)
        {
            if (items.Property(key) is { } prop)
            {
                if (prop.Type() is "array" or "object")
                    errors.Add(FieldError.Invalid($"{path}.items.properties[{key}].type", FieldValue.Of("object"), "must be a scalar type if parent array's x-kubernetes-list-type is map"));
            }
            else errors.Add(FieldError.Invalid(path + ".x-kubernetes-list-map-keys", keysValue, "entries must all be names of item properties"));
            if (!seen.Add(key)) errors.Add(FieldError.Invalid(path + ".x-kubernetes-list-map-keys", keysValue, "must not contain duplicate entries"));
        }
    }

    private static void MapListKeys(JsonObject s, JsonObject items, string path, string listType, IReadOnlyList<string> mapKeys, List<FieldError> errors)
    {
        if (items.Nullable()) errors.Add(FieldError.Forbidden(path + ".items.nullable", "cannot be nullable when x-kubernetes-list-type is " + listType));
        if (listType != "map") return;
        var required = items.Required();
        foreach (var key in mapKeys)
        {
            if (items.Property(key) is not { } prop) continue;
            if (!required.Contains(key) && !prop.HasDefault())
                errors.Add(FieldError.Required($"{path}.items.properties[{key}].default", "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"));
            if (prop.Nullable())
                errors.Add(FieldError.Forbidden($"{path}.items.properties[{key}].nullable", "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"));
        }
    }

    private static void Validations(JsonObject s, string path, Context ctx, bool compile, List<FieldError> errors)
    {
        if (s.Validations() is not { Count: > 0 } rules) return;
        var before = errors.Count;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] is not JsonObject rule) continue;
            var at = $"{path}.x-kubernetes-validations[{i}]";
            var text = SchemaNode.Text(rule["rule"]) ?? "";
            var message = SchemaNode.Text(rule["message"]) ?? "";
            var messageExpression = SchemaNode.Text(rule["messageExpression"]) ?? "";
            if (text.Trim().Length == 0) errors.Add(FieldError.Required(at + ".rule", "rule is not specified"));
            else if (message.Length > 0 && message.Trim().Length == 0) errors.Add(FieldError.Invalid(at + ".message", FieldValue.Of(message), "must be non-empty if specified"));
            else if (message.Trim().Contains('\n')) errors.Add(FieldError.Invalid(at + ".message", FieldValue.Of(message), "must not contain line breaks"));
            else if (text.Trim().Contains('\n') && message.Trim().Length == 0) errors.Add(FieldError.Required(at + ".message", "message must be specified if rule contains line breaks"));
            if (messageExpression.Length > 0 && messageExpression.Trim().Length == 0)
                errors.Add(FieldError.Required(at + ".messageExpression", "messageExpression must be non-empty if specified"));
            if (SchemaNode.Text(rule["reason"]) is { } reason && !SupportedReasons.Contains(reason))
                errors.Add(FieldError.NotSupported(at + ".reason", FieldValue.Of(reason), SupportedReasons));
            if (SchemaNode.Text(rule["fieldPath"]) is { Length: > 0 } fieldPath)
            {
                if (fieldPath.Trim().Length == 0) errors.Add(FieldError.Invalid(at + ".fieldPath", FieldValue.Of(fieldPath), "must be non-empty if specified"));
                if (fieldPath.Contains('\n')) errors.Add(FieldError.Invalid(at + ".fieldPath", FieldValue.Of(fieldPath), "must not contain line breaks"));
                if (!FieldPathValid(s, fieldPath)) errors.Add(FieldError.Invalid(at + ".fieldPath", FieldValue.Of(fieldPath), "must be a valid path"));
            }
        }
        if (!compile || errors.Count > before) return;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] is not JsonObject rule) continue;
            var at = $"{path}.x-kubernetes-validations[{i}]";
            var compiled = CelCompiler.Compile(SchemaNode.Text(rule["rule"]) ?? "", s);
            if (compiled.Error is not null) errors.Add(FieldError.Invalid(at + ".rule", FieldValue.Struct(InternalRule(rule)), compiled.Error));
            if (SchemaNode.Text(rule["messageExpression"]) is { Length: > 0 } expression
                && CelCompiler.Compile(expression, s, mustBeString: true).Error is { } messageError)
                errors.Add(FieldError.Invalid(at + ".messageExpression", FieldValue.Struct(InternalRule(rule)),
                    messageError.StartsWith("compilation failed: ", StringComparison.Ordinal)
                        ? "messageExpression compilation failed: " + messageError["compilation failed: ".Length..]
                        : "messageExpression " + messageError));
            var optionalOldSelf = rule["optionalOldSelf"];
            if (compiled.UsesOldSelf && ctx.UncorrelatablePath is { } uncorrelatable)
                errors.Add(FieldError.Invalid(at + ".rule", FieldValue.Of(SchemaNode.Text(rule["rule"]) ?? ""), $"oldSelf cannot be used on the uncorrelatable portion of the schema within {uncorrelatable}"));
            else if (!compiled.UsesOldSelf && optionalOldSelf is JsonValue flag && flag.TryGetValue<bool>(out var b))
                errors.Add(FieldError.Invalid(at + ".optionalOldSelf", FieldValue.Of(b), "may not be set if oldSelf is not used in rule"));
        }
    }

    /// <summary>The rule as the server prints its internal ValidationRule struct (Go field names, no JSON tags).</summary>
    private static JsonObject InternalRule(JsonObject rule) => new()
    {
        ["Rule"] = SchemaNode.Text(rule["rule"]) ?? "",
        ["Message"] = SchemaNode.Text(rule["message"]) ?? "",
        ["MessageExpression"] = SchemaNode.Text(rule["messageExpression"]) ?? "",
        ["Reason"] = SchemaNode.Text(rule["reason"]) is { } reason ? JsonValue.Create(reason) : null,
        ["FieldPath"] = SchemaNode.Text(rule["fieldPath"]) ?? "",
        ["OptionalOldSelf"] = rule["optionalOldSelf"]?.DeepClone(),
    };

    /// <summary>cel.ValidFieldPath: <c>.a.b</c> and <c>['key']</c> steps through declared properties or map values.</summary>
    private static bool FieldPathValid(JsonObject s, string fieldPath)
    {
        var node = s;
        var rest = fieldPath;
        while (rest.Length > 0)
        {
            string name;
            if (rest.StartsWith('.'))
            {
                var end = rest.IndexOfAny(['.', '['], 1);
                name = end < 0 ? rest[1..] : rest[1..end];
                rest = end < 0 ? "" : rest[end..];
            }
            else if (rest.StartsWith("['", StringComparison.Ordinal) && rest.IndexOf("']", 2, StringComparison.Ordinal) is var close and > 0)
            {
                name = rest[2..close];
                rest = rest[(close + 2)..];
            }
            else return false;
            if (name.Length == 0) return false;
            if (node.Property(name) is { } prop) node = prop;
            else if (node.Properties() is null && node.AdditionalProperties() is { } values) node = values;
            else return false;
        }
        return true;
    }
}
