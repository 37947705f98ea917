using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WsPool.Install.Tests.Differential;

/// <summary>
/// Generates pools from the examples by changing one or two leaves at a time, driven by the CRD's own schema: every
/// field under spec gets values of the wrong type, values at and beyond its bounds, every enum value and an unknown
/// one, strings that match and break its pattern, removals of what is required, unknown fields, and the cross-field
/// cases the CEL rules guard. Deterministic for a seed.
/// </summary>
public sealed class PoolCaseGenerator
{
    // Strings tried on every string field: each either matches the field's pattern (a valid case) or does not.
    private static readonly string[] Strings =
    [
        "90s", "1h30m", "0s", "99999999999s", "abc", "a.b-c", "Abc", "-bad", "/x", "/ws/v2", "repo/img:1", "nginx:1.30",
        "1.30.0", "1.2.3.4", "S1", "MY_URL", "ws_conns", "url", "has space", "x;y", "a\nb", "", "*.example.com", "example.com",
    ];

    private readonly Random _random;
    private readonly JsonObject _specSchema;
    private readonly IReadOnlyList<(string Name, JsonObject Pool)> _bases;

    public PoolCaseGenerator(JsonObject crd, IReadOnlyList<(string Name, JsonObject Pool)> bases, int seed)
    {
        _random = new Random(seed);
        _specSchema = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!.AsObject();
        _bases = bases;
    }

    /// <summary>Every single change on every base, then random pairs of changes until <paramref name="total"/>.</summary>
    public IEnumerable<PoolCase> Generate(int total)
    {
        var changes = Changes(_specSchema, "spec").Concat(CrossFieldChanges()).Concat(TemplateChanges()).ToList();
        var count = 0;
        foreach (var (baseName, pool) in _bases)
        {
            yield return new PoolCase($"{baseName}: unchanged", Copy(pool));
            count++;
            foreach (var change in changes)
            {
                var copy = Copy(pool);
                change.Apply(copy);
                yield return new PoolCase($"{baseName}: {change.Name}", copy);
                count++;
            }
        }
        while (count < total)
        {
            var (baseName, pool) = _bases[_random.Next(_bases.Count)];
            var first = changes[_random.Next(changes.Count)];
            var second = changes[_random.Next(changes.Count)];
            var copy = Copy(pool);
            first.Apply(copy);
            second.Apply(copy);
            yield return new PoolCase($"{baseName}: {first.Name} + {second.Name}", copy);
            count++;
        }
    }

    private sealed record Change(string Name, Action<JsonObject> Apply);

    private static IEnumerable<Change> Changes(JsonObject schema, string path)
    {
        if (path == "spec.template") yield break; // the pod template's own schema: TemplateChanges covers what we check
        var type = schema["type"]?.GetValue<string>();
        var intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        if (intOrString)
        {
            foreach (var value in new JsonNode?[] { 8080, 0, 70000, "ws", "8080", "Bad_Name", true, 1.5 })
                yield return Set(path, value);
            yield break;
        }
        switch (type)
        {
            case "object":
                if (path != "spec")
                {
                    yield return Set(path, "text");
                    yield return Set(path, new JsonArray());
                    yield return Set(path, new JsonObject());
                }
                yield return Set($"{path}.bogusField", 1);
                foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
                    yield return Remove($"{path}.{required}");
                foreach (var (name, child) in schema["properties"]?.AsObject() ?? [])
                    foreach (var change in Changes(child!.AsObject(), $"{path}.{name}"))
                        yield return change;
                break;
            case "integer":
                var minimum = schema["minimum"]?.GetValue<long>();
                var maximum = schema["maximum"]?.GetValue<long>();
                var integers = new List<JsonNode?> { "5", 1.5, -1, 0, 1 };
                if (minimum is { } min) integers.AddRange([min - 1, min]);
                if (maximum is { } max) integers.AddRange([max, max + 1]);
                foreach (var value in integers) yield return Set(path, value);
                break;
            case "boolean":
                foreach (var value in new JsonNode?[] { true, false, "true", 1 }) yield return Set(path, value);
                break;
            case "string":
                var values = new List<JsonNode?> { 12, true };
                if (schema["enum"] is JsonArray enumValues)
                    values.AddRange([.. enumValues.Select(v => (JsonNode?)v!.GetValue<string>()), "Bogus", enumValues[0]!.GetValue<string>().ToLowerInvariant()]);
                else
                    values.AddRange(Strings.Select(s => (JsonNode?)s));
                if (schema["maxLength"] is JsonValue maxLengthValue && maxLengthValue.GetValue<long>() is var maxLength) values.Add(new string('a', (int)maxLength + 1));
                foreach (var value in values) yield return Set(path, value);
                break;
            case "array":
                yield return Set(path, new JsonObject());
                yield return Set(path, new JsonArray());
                if (schema["items"]?["type"]?.GetValue<string>() == "string")
                    foreach (var s in new[] { "example.com", "*.example.com", "Bad Host", "" })
                        yield return Set(path, new JsonArray(s));
                break;
        }
    }

    /// <summary>The pairs the CEL rules relate, set to agree and to disagree.</summary>
    private static IEnumerable<Change> CrossFieldChanges()
    {
        yield return Many("minReplicas > maxReplicas", ("spec.minReplicas", 5), ("spec.maxReplicas", 4));
        yield return Many("minReplicas = maxReplicas", ("spec.minReplicas", 4), ("spec.maxReplicas", 4), ("spec.replicas", 4));
        yield return Many("replicas < minReplicas", ("spec.minReplicas", 3), ("spec.maxReplicas", 6), ("spec.replicas", 2));
        yield return Many("replicas > maxReplicas", ("spec.minReplicas", 1), ("spec.maxReplicas", 6), ("spec.replicas", 7));
        yield return Many("target > limit", ("spec.connections.target", 500), ("spec.connections.limit", 400));
        yield return Many("target = limit", ("spec.connections.target", 400), ("spec.connections.limit", 400));
        foreach (var (type, field) in new[] { ("Header", "header"), ("QueryParam", "queryParam") })
        {
            yield return Many($"affinity {type} without {field}", ("spec.affinity.type", type), ($"spec.affinity.{field}", null));
            yield return Many($"affinity {type} with {field}", ("spec.affinity.type", type), ($"spec.affinity.{field}.name", "room"));
        }
        yield return Many("balancer Ingress without ingress", ("spec.balancer.type", "Ingress"), ("spec.balancer.ingress", null));
        yield return Many("balancer Ingress with ingress", ("spec.balancer.type", "Ingress"), ("spec.balancer.ingress.className", "nginx"));
        yield return Many("balancer Gateway without gateway", ("spec.balancer.type", "Gateway"), ("spec.balancer.gateway", null));
        yield return Many("balancer Gateway with gateway", ("spec.balancer.type", "Gateway"), ("spec.balancer.gateway.parentRefs", new JsonArray(new JsonObject { ["name"] = "gw" })));
        yield return Many("broker External without external", ("spec.broker.type", "External"), ("spec.broker.external", null));
        yield return Many("broker External with external", ("spec.broker.type", "External"), ("spec.broker.external.name", "redis-url"));
        yield return Many("gateway with two parentRefs", ("spec.balancer.type", "Gateway"), ("spec.balancer.gateway.parentRefs", new JsonArray(new JsonObject { ["name"] = "a" }, new JsonObject { ["name"] = "b" })));
    }

    /// <summary>The pod template fields wspool reads.</summary>
    private static IEnumerable<Change> TemplateChanges()
    {
        yield return Remove("spec.template.spec.containers");
        yield return Set("spec.template.spec.containers", new JsonArray());
        yield return Remove("spec.template.spec.containers[0].image");
        yield return Remove("spec.template.spec.containers[0].name");
        yield return Set("spec.template.spec.containers[0].name", "Bad_Name");
        yield return Set("spec.template.spec.containers[0].image", 12);
        yield return Set("spec.template.spec.containers[0].ports", new JsonArray());
        yield return Set("spec.template.spec.containers[0].ports[0].containerPort", 0);
        yield return Set("spec.template.spec.containers[0].ports[0].containerPort", 70000);
        yield return Set("spec.template.spec.containers[0].ports[0].containerPort", "8080");
        yield return Set("spec.template.spec.containers[0].ports[0].name", "Bad_Port_Name_Too_Long");
        yield return Set("spec.template.spec.bogusField", 1);
        yield return Set("spec.template.metadata.labels", new JsonObject { ["app"] = "x" });
    }

    private static Change Set(string path, JsonNode? value) =>
        new($"{path} = {(value is null ? "null" : value.ToJsonString())}", pool => SetAt(pool, path, value?.DeepClone()));

    private static Change Remove(string path) => new($"remove {path}", pool => SetAt(pool, path, null, remove: true));

    private static Change Many(string name, params (string Path, JsonNode? Value)[] values) =>
        new(name, pool =>
        {
            foreach (var (path, value) in values) SetAt(pool, path, value?.DeepClone(), remove: value is null);
        });

    /// <summary>Sets (or removes) the value at a dotted path with [i] list indices, creating missing objects.</summary>
    private static void SetAt(JsonObject root, string path, JsonNode? value, bool remove = false)
    {
        var parts = Regex.Split(path, @"\.(?![^\[]*\])").SelectMany(p => Regex.Matches(p, @"[^\[\]]+|\[\d+\]").Select(m => m.Value)).ToList();
        JsonNode current = root;
        for (var i = 0; i < parts.Count - 1; i++)
        {
            var part = parts[i];
            var nextIsIndex = parts[i + 1].StartsWith('[');
            if (part.StartsWith('['))
            {
                var array = current as JsonArray;
                var index = int.Parse(part[1..^1]);
                if (array is null || index >= array.Count) return; // nothing there to change
                current = array[index]!;
                continue;
            }
            if (current is not JsonObject obj) return; // a scalar in the way: the other change already broke the shape
            if (obj[part] is not (JsonObject or JsonArray))
            {
                if (remove) return;
                obj[part] = nextIsIndex ? new JsonArray() : new JsonObject();
            }
            current = obj[part]!;
        }
        var last = parts[^1];
        if (last.StartsWith('['))
        {
            if (current is JsonArray array && int.Parse(last[1..^1]) is var index && index < array.Count)
            {
                if (remove) array.RemoveAt(index);
                else array[index] = value;
            }
            return;
        }
        if (current is not JsonObject target) return;
        if (remove) target.Remove(last);
        else target[last] = value;
    }

    private static JsonObject Copy(JsonObject pool) => pool.DeepClone().AsObject();
}
