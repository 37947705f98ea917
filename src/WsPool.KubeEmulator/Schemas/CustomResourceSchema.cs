using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// One served version's openAPIV3Schema and what the API server does with it for custom resources: decoding prunes
/// unknown fields (reported for field validation), drops non-nullable nulls and applies defaults; create and update
/// validate the object (OpenAPI schema, list-type uniqueness, then CEL unless a blocking error was found), and update
/// ratchets: values unchanged from the old object are not judged again.
/// </summary>
public sealed class CustomResourceSchema(JsonObject openApiV3Schema, ScaleValidation? scale = null)
{
    public JsonObject Root { get; } = (JsonObject)openApiV3Schema.DeepClone();

    public ScaleValidation? Scale { get; } = scale;

    /// <summary>Prunes, drops non-nullable nulls and defaults in place; returns the pruned fields' paths (sorted).</summary>
    public IReadOnlyList<string> Decode(JsonObject obj)
    {
        var unknown = Pruner.Prune(obj, Root);
        Pruner.DropNonNullableNulls(obj, Root);
        Defaulter.Apply(obj, Root);
        return unknown;
    }

    /// <summary>Applies defaults only (reading an object stored under an older schema).</summary>
    public void Default(JsonObject obj) => Defaulter.Apply(obj, Root);

    /// <summary>The paths <see cref="Decode"/> would prune, without changing <paramref name="obj"/>.</summary>
    public IReadOnlyList<string> UnknownFields(JsonObject obj) => Pruner.Prune((JsonObject)obj.DeepClone(), Root);

    /// <summary>Validation of a main-resource write; <paramref name="old"/> is null on create.</summary>
    public List<FieldError> Validate(JsonObject obj, JsonObject? old, ICollection<string> warnings)
    {
        var correlation = old is null ? Correlation.None : Correlation.Of(old);
        var errors = new List<FieldError>();
        errors.AddRange(SchemaValidator.Validate(Root, obj, null, correlation));
        errors.AddRange(ScaleErrors(obj, spec: true));
        errors.AddRange(ScaleErrors(obj, spec: false));
        if (old is null || ListTypeValidator.Validate(Root, old).Count == 0)
            errors.AddRange(ListTypeValidator.Validate(Root, obj));
        errors.AddRange(Cel(obj, correlation, old is null ? null : warnings, errors));
        return errors;
    }

    /// <summary>Validation of a status write: the status against its schema (under <c>status</c>), then the whole object's rules.</summary>
    public List<FieldError> ValidateStatus(JsonObject obj, JsonObject old, ICollection<string> warnings)
    {
        var correlation = Correlation.Of(old);
        var errors = new List<FieldError>();
        if (obj.TryGetPropertyValue("status", out var status) && Root.Property("status") is { } statusSchema)
            errors.AddRange(SchemaValidator.Validate(statusSchema, status, "status", correlation.Key("status")));
        errors.AddRange(ScaleErrors(obj, spec: false));
        if (ListTypeValidator.Validate(Root, old).Count == 0)
            errors.AddRange(ListTypeValidator.Validate(Root, obj));
        errors.AddRange(Cel(obj, correlation, warnings, errors));
        return errors;
    }

    private IEnumerable<FieldError> Cel(JsonObject obj, Correlation old, ICollection<string>? warnings, List<FieldError> found)
    {
        if (!StructuralSchema.Nodes(Root).Any(n => n.Validations() is { Count: > 0 })) return [];
        if (found.Any(e => e.Type is FieldErrorType.NotSupported or FieldErrorType.Required or FieldErrorType.TooLong
                or FieldErrorType.TooMany or FieldErrorType.TypeInvalid))
            return [FieldError.Invalid("<nil>", FieldValue.Nil,
                "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")];
        return CelValidator.Validate(Root, obj, old, null, warnings);
    }

    /// <summary>The scale subresource's replica paths must hold non-negative int32 values (customresource validator.go).</summary>
    private IEnumerable<FieldError> ScaleErrors(JsonObject obj, bool spec)
    {
        if (Scale is null) yield break;
        var path = spec ? Scale.SpecReplicasPath : Scale.StatusReplicasPath;
        JsonNode? node = obj;
        foreach (var part in path.TrimStart('.').Split('.'))
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
        if (node is JsonValue other && SchemaNode.KindOf(other) is var kind && kind is "number" or "string" or "boolean")
        {
            // The scale subresource reads the replicas as an int64 and reports what it found in Go's words.
            var goType = kind switch { "number" => "float64", "string" => "string", _ => "bool" };
            var text = kind == "string" ? other.GetValue<string>() : other.ToJsonString();
            yield return FieldError.Invalid(path, FieldValue.Of(0), $"{path} accessor error: {text} is of the type {goType}, expected int64");
            yield break;
        }
        if (node is not JsonValue v || SchemaNode.KindOf(v) != "integer") yield break;
        var replicas = JsonNumbers.Long(v);
        if (replicas < 0) yield return FieldError.Invalid(path, FieldValue.Of(replicas), "should be a non-negative integer");
        else if (replicas > int.MaxValue) yield return FieldError.Invalid(path, FieldValue.Of(replicas), $"should be less than or equal to {int.MaxValue}");
    }
}

/// <summary>The replica paths of a CRD's scale subresource, as validated on every write.</summary>
public sealed record ScaleValidation(string SpecReplicasPath, string StatusReplicasPath);
