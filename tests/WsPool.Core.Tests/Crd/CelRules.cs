using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;

namespace WsPool.Core.Tests.Crd;

/// <summary>
/// Evaluates a schema's x-kubernetes-validations (CEL) against an object, with <c>self</c> bound to the value at
/// each node, as the API server does. Uses the Cel package (a C# implementation of cel-spec).
/// </summary>
/// <remarks>
/// A rule that reads a field the value lacks is an error, as in the API server ("no such key: type evaluating rule:
/// ..."), never a silent pass: the Cel package throws <see cref="CelNoSuchFieldException"/> for <c>self.type</c> inside
/// an expression and returns a non-boolean marker for a bare <c>self.type</c>; both count as errors here. The package
/// evaluates <c>||</c> and <c>&amp;&amp;</c> strictly left to right, so <c>self.missing || true</c> errs here where
/// cel-go absorbs the error: this evaluator can report an error the server would not, never the reverse.
/// </remarks>
internal static partial class CelRules
{
    private static readonly CelEnvironment Environment = Create();

    /// <summary>
    /// The Cel package plus the Kubernetes library functions the CRD's rules call (the duration bounds read
    /// <c>findAll</c>, <c>substring</c> and <c>sum</c>); the emulator's CelLibrary has the full set.
    /// </summary>
    private static CelEnvironment Create()
    {
        var env = new CelEnvironment(null, null);
        env.RegisterFunction("findAll", [typeof(string), typeof(string)],
            a => Regex.Matches((string)a[0]!, (string)a[1]!, RegexOptions.CultureInvariant).Select(m => (object?)m.Value).ToList());
        env.RegisterFunction("substring", [typeof(string), typeof(long), typeof(long)],
            a => ((string)a[0]!)[(int)(long)a[1]!..(int)(long)a[2]!]);
        env.RegisterFunction("sum", [typeof(System.Collections.IList)],
            a => ((System.Collections.IList)a[0]!).Cast<object>().Sum(x => Convert.ToInt64(x, System.Globalization.CultureInfo.InvariantCulture)));
        return env;
    }

    /// <summary>One x-kubernetes-validations entry.</summary>
    public sealed record Rule(string Path, string Text, string? Message, string? MessageExpression, string? FieldPath, string? Reason)
    {
        /// <summary>What the server reports when the rule is false and its messageExpression gives nothing usable.</summary>
        public string StaticMessage => string.IsNullOrWhiteSpace(Message) ? $"failed rule: {Text}" : Message.Trim();

        public static Rule Of(string path, JsonNode entry) => new(
            path,
            entry["rule"]!.GetValue<string>(),
            entry["message"]?.GetValue<string>(),
            entry["messageExpression"]?.GetValue<string>(),
            entry["fieldPath"]?.GetValue<string>(),
            entry["reason"]?.GetValue<string>());
    }

    /// <summary>The result of one rule on one value: it holds, it is false, or evaluating it failed.</summary>
    public readonly record struct Outcome(bool Holds, string? Error)
    {
        public bool Failed => Error is not null;
    }

    /// <summary>Every rule of the schema with the path of its node.</summary>
    public static IEnumerable<Rule> All(JsonObject schema) =>
        CrdSchema.Walk(schema)
            .Where(n => n.Node["x-kubernetes-validations"] is JsonArray)
            .SelectMany(n => ((JsonArray)n.Node["x-kubernetes-validations"]!).Select(r => Rule.Of(n.Path, r!)));

    /// <summary>
    /// "path: message" for every rule the object breaks, and "path: error evaluating rule: message" for every rule that
    /// cannot be evaluated on it; empty when it keeps them all. As in the API server, a false rule is reported at its
    /// fieldPath with its messageExpression (when that gives a usable string); an error at the node itself.
    /// </summary>
    public static IReadOnlyList<string> Violations(JsonObject schema, JsonNode instance) => Violations(schema, instance, "");

    /// <summary><see cref="Violations(JsonObject, JsonNode)"/> with every path prefixed by <paramref name="basePath"/>.</summary>
    public static IReadOnlyList<string> Violations(JsonObject schema, JsonNode instance, string basePath)
    {
        var violations = new List<string>();
        Visit(schema, instance, basePath, violations);
        return violations;
    }

    public static void Compile(string rule) => Environment.Compile(rule);

    /// <summary>True when the rule holds; throws when it cannot be evaluated (see <see cref="Run"/> to tell them apart).</summary>
    public static bool Evaluate(string rule, JsonNode self)
    {
        var outcome = Run(rule, self);
        return outcome.Failed ? throw new InvalidOperationException($"{outcome.Error} evaluating rule: {rule}") : outcome.Holds;
    }

    /// <summary>Evaluates a rule; a missing field reads as the API server's "no such key: name" error.</summary>
    public static Outcome Run(string rule, JsonNode self)
    {
        var program = Environment.Compile(rule); // a rule that does not compile is a broken CRD: let it throw
        object? result;
        try
        {
            result = program(new Dictionary<string, object?> { ["self"] = ToCel(self) });
        }
        catch (CelNoSuchFieldException e)
        {
            return new(false, NoSuchKey(e.Message));
        }
        catch (CelException e)
        {
            return new(false, e.Message);
        }

        return result switch
        {
            bool holds => new(holds, null),
            // A bare `self.missing` comes back as the package's no-such-field marker instead of throwing.
            { } other when other.GetType().Name.Contains("NoSuchField", StringComparison.Ordinal) => new(false, "no such key"),
            _ => new(false, $"the rule evaluated to {result ?? "null"}, not a boolean"),
        };
    }

    /// <summary>
    /// The message the API server reports for a false rule: the messageExpression's value when it evaluates to a
    /// non-empty single-line string, otherwise the static message (or "failed rule: ...").
    /// </summary>
    public static string MessageFor(Rule rule, JsonNode self)
    {
        if (rule.MessageExpression is null) return rule.StaticMessage;
        object? value;
        try
        {
            value = Environment.Compile(rule.MessageExpression)(new Dictionary<string, object?> { ["self"] = ToCel(self) });
        }
        catch (CelException)
        {
            return rule.StaticMessage;
        }
        return value is string text && text.Trim() is { Length: > 0 } trimmed && !trimmed.Contains('\n') ? trimmed : rule.StaticMessage;
    }

    private static void Visit(JsonObject schema, JsonNode? instance, string path, List<string> violations)
    {
        // The server validates non-null values only; a rule that cares about null looks at the parent.
        if (instance is null) return;
        if (schema["x-kubernetes-validations"] is JsonArray rules)
            foreach (var rule in rules.Select(r => Rule.Of(path, r!)))
            {
                var outcome = Run(rule.Text, instance);
                if (outcome.Failed)
                    violations.Add($"{path}: {outcome.Error} evaluating rule: {(string.IsNullOrWhiteSpace(rule.Message) ? rule.Text : rule.Message.Trim())}");
                else if (!outcome.Holds)
                    violations.Add($"{path}{rule.FieldPath}: {MessageFor(rule, instance)}");
            }

        switch (instance)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, child) in properties)
                    if (obj.TryGetPropertyValue(name, out var value)) Visit((JsonObject)child!, value, $"{path}.{name}", violations);
                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject values:
                foreach (var (key, value) in map) Visit(values, value, $"{path}.{key}", violations);
                break;
            case JsonArray list when schema["items"] is JsonObject items:
                for (var i = 0; i < list.Count; i++) Visit(items, list[i], $"{path}[{i}]", violations);
                break;
        }
    }

    /// <summary>The Cel package says "Cannot find overload to select field 'type' ..."; cel-go says "no such key: type".</summary>
    private static string NoSuchKey(string message) =>
        SelectedField().Match(message) is { Success: true } match ? $"no such key: {match.Groups[1].Value}" : $"no such key ({message})";

    [GeneratedRegex("field '([^']+)'")]
    private static partial Regex SelectedField();

    private static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        // Null-valued fields are absent to CEL, as in the API server.
        JsonObject obj => obj.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => ToCel(p.Value)),
        JsonArray list => list.Select(ToCel).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetValue<long>(out var whole) => whole,
            JsonValueKind.Number => value.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };
}
