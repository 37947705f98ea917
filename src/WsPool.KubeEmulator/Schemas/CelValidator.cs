using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// Evaluates x-kubernetes-validations rules over a value as the API server does (schema/cel/validation.go): each node's
/// rules see the value at that node as <c>self</c>; transition rules (those reading <c>oldSelf</c>) run only on update
/// where an old value correlates; a false result is an error at the node (or at the rule's fieldPath) with the rule's
/// message, messageExpression or <c>failed rule: &lt;rule&gt;</c>, and its reason; an evaluation error is
/// <c>Invalid value: "&lt;type&gt;": &lt;error&gt; evaluating rule: &lt;message or rule&gt;</c> — e.g. reading an
/// absent field gives <c>no such key: type</c>. A failure on a value unchanged from the old object (ratcheting) is a
/// warning, not an error, unless the rule is a transition rule.
/// </summary>
public static partial class CelValidator
{
    /// <summary>
    /// Runs the rules of <paramref name="schema"/> and its descendants over <paramref name="value"/>. With
    /// <paramref name="warnings"/> (an update), failures on unchanged values are ratcheted into warnings.
    /// </summary>
    public static List<FieldError> Validate(JsonObject schema, JsonNode? value, Correlation old, string? prefix, ICollection<string>? warnings = null)
    {
        var errors = new List<FieldError>();
        Walk(schema, value, old, prefix, errors, warnings);
        return errors;
    }

    private static string At(string? path) => path ?? "<nil>";

    private static void Walk(JsonObject s, JsonNode? value, Correlation old, string? path, List<FieldError> errors, ICollection<string>? warnings)
    {
        if (value is null) return;
        Rules(s, value, old, path, errors, warnings);
        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (s.Property(key) is { } prop) Walk(prop, child, old.Key(key), path is null ? key : FieldPath.Child(path, key), errors, warnings);
                    else if (s.AdditionalProperties() is { } values) Walk(values, child, old.Key(key), FieldPath.Key(path ?? "", key), errors, warnings);
                }
                break;
            case JsonArray list when s.Items() is { } items:
                for (var i = 0; i < list.Count; i++) Walk(items, list[i], old.Item(s, list[i]), FieldPath.Index(path ?? "", i), errors, warnings);
                break;
        }
    }

    private static void Rules(JsonObject s, JsonNode value, Correlation old, string? path, List<FieldError> errors, ICollection<string>? warnings)
    {
        if (s.Validations() is not { Count: > 0 } rules) return;
        var type = s.Type() ?? "";
        var typeValue = FieldValue.Of(type);
        object? self = null, oldSelf = null;
        var converted = false;
        foreach (var ruleNode in rules.OfType<JsonObject>())
        {
            var rule = SchemaNode.Text(ruleNode["rule"]) ?? "";
            var message = SchemaNode.Text(ruleNode["message"]) ?? "";
            var compiled = CelCompiler.Compile(rule, s);
            if (compiled.Error is not null)
            {
                errors.Add(FieldError.Invalid(At(path), typeValue, $"rule compile error: {compiled.Error}"));
                continue;
            }
            if (compiled.UsesOldSelf && !old.Present) continue;
            if (!compiled.Evaluable || compiled.Program is null) continue;
            if (!converted)
            {
                self = ToCel(value, s);
                oldSelf = old.Present ? ToCel(old.Old, s) : null;
                converted = true;
            }
            var activation = new Dictionary<string, object?> { ["self"] = self };
            if (compiled.UsesOldSelf) activation["oldSelf"] = oldSelf;

            object? result;
            string? failure = null;
            try
            {
                result = compiled.Program(activation);
                if (result is not bool) failure = NoSuchKey(result) ?? "no such overload";
            }
            catch (Exception e)
            {
                result = null;
                failure = EvaluationError(e);
                if (failure is null) continue; // a function the Cel package cannot run: not judged here
            }
            var errorString = message.Trim().Length > 0 ? message.Trim() : rule.Trim();
            if (failure is not null)
            {
                errors.Add(failure.StartsWith("no such overload", StringComparison.Ordinal)
                    ? FieldError.Invalid(At(path), typeValue, $"'{failure}': call arguments did not match a supported operator, function or macro signature for rule: {errorString}")
                    : FieldError.Invalid(At(path), typeValue, $"{failure} evaluating rule: {errorString}"));
                continue;
            }
            if (result is true) continue;

            var field = path;
            if (SchemaNode.Text(ruleNode["fieldPath"]) is { Length: > 0 } fieldPath)
                field = NormalizeFieldPath(path, fieldPath);
            var detail = message.Length == 0 ? $"failed rule: {rule.Trim()}" : message.Trim();
            if (SchemaNode.Text(ruleNode["messageExpression"]) is { Length: > 0 } messageExpression
                && MessageFromExpression(messageExpression, s, activation) is { } fromExpression)
                detail = fromExpression;
            var badValue = type is "object" or "array" ? FieldValue.Omit : FieldValue.Of(value);
            var error = SchemaNode.Text(ruleNode["reason"]) switch
            {
                "FieldValueForbidden" => FieldError.Forbidden(At(field), detail),
                "FieldValueRequired" => FieldError.Required(At(field), detail),
                "FieldValueDuplicate" => FieldError.Duplicate(At(field), badValue),
                _ => FieldError.Invalid(At(field), badValue, detail),
            };
            if (warnings is not null && !compiled.UsesOldSelf && old.Unchanged(value)) warnings.Add(error.ToString());
            else errors.Add(error);
        }
    }

    private static string? MessageFromExpression(string expression, JsonObject s, Dictionary<string, object?> activation)
    {
        var compiled = CelCompiler.Compile(expression, s, mustBeString: true);
        if (compiled.Program is null || !compiled.Evaluable) return null;
        try
        {
            return compiled.Program(activation) is string { Length: > 0 } text && !text.Contains('\n') ? text.Trim() : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>A rule's fieldPath (<c>.spec.x</c>, <c>['key']</c>) joined to the node's path as field.Path prints it.</summary>
    private static string NormalizeFieldPath(string? path, string fieldPath)
    {
        var result = path;
        foreach (Match m in FieldPathPart().Matches(fieldPath))
        {
            var name = m.Groups["dot"].Success ? m.Groups["dot"].Value : m.Groups["quoted"].Value.Replace("\\'", "'", StringComparison.Ordinal);
            result = result is null ? name : FieldPath.Child(result, name);
        }
        return result ?? "<nil>";
    }

    [GeneratedRegex(@"\.(?<dot>[^.\[]+)|\['(?<quoted>(?:[^'\\]|\\.)*)'\]")]
    private static partial Regex FieldPathPart();

    /// <summary>cel-go's text for a runtime error; null when the Cel package merely lacks a function the server has.</summary>
    private static string? EvaluationError(Exception e) => e switch
    {
        CelNoSuchFieldException or CelTypeDoesNotSupportFieldSelectionException => NoSuchKey(e.Message) ?? "no such key",
        CelArgumentRangeException when e.Message.StartsWith("Key", StringComparison.Ordinal) => "no such key",
        CelArgumentRangeException => "index out of bounds",
        CelDivideByZeroException => "division by zero",
        CelModulusByZeroException => "modulus by zero",
        CelOverflowException => "integer overflow",
        CelNoSuchOverloadException => "no such overload",
        CelUnboundFunctionException => null,
        CelExpressionParserException when e.Message.Contains("no function, variable or macro", StringComparison.Ordinal) => null,
        _ => e.Message,
    };

    /// <summary>"no such key: name" from the Cel package's messages about a missing field (thrown, or returned as a value).</summary>
    private static string? NoSuchKey(object? resultOrMessage)
    {
        var text = resultOrMessage switch
        {
            string s => s,
            null => null,
            _ when resultOrMessage.GetType().Name == "CelNoSuchField" =>
                resultOrMessage.GetType().GetProperty("Message")?.GetValue(resultOrMessage) as string ?? "",
            _ => null,
        };
        if (text is null) return null;
        var selectField = Regex.Match(text, "Type '[^']*?([A-Za-z_][A-Za-z0-9_]*)' does not support field selection");
        if (selectField.Success) return $"no such key: {selectField.Groups[1].Value}";
        var field = Regex.Match(text, "field '([^']+)'");
        return field.Success ? $"no such key: {field.Groups[1].Value}" : "no such key";
    }

    /// <summary>The CEL value of a JSON value typed by its schema: objects are maps, numbers int or double by schema, date-times timestamps.</summary>
    public static object? ToCel(JsonNode? node, JsonObject? s) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToCel(p.Value, s?.ChildSchema(p.Key))),
        JsonArray list => list.Select(x => ToCel(x, s?.Items())).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String when s?.Format() is "date-time"
                && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t,
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when s?.Type() == "number" => JsonNumbers.Double(v),
            JsonValueKind.Number when JsonNumbers.IsInteger(v) => JsonNumbers.Long(v),
            JsonValueKind.Number => JsonNumbers.Double(v),
            _ => null,
        },
        _ => null,
    };
}
