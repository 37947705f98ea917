using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// Uniqueness of x-kubernetes-list-type set and map lists (listtype/validation.go): the second occurrence of a set
/// element, or of a map item's keys, is a <c>Duplicate value</c> naming the element or the key fields.
/// </summary>
public static class ListTypeValidator
{
    public static List<FieldError> Validate(JsonObject schema, JsonObject obj, string? prefix = null)
    {
        var errors = new List<FieldError>();
        Object(schema, obj, prefix, errors);
        return errors;
    }

    private static string Child(string? parent, string name) => parent is null ? name : FieldPath.Child(parent, name);

    private static void Object(JsonObject s, JsonObject obj, string? path, List<FieldError> errors)
    {
        if (s.AdditionalProperties() is { } values)
            foreach (var (key, value) in obj)
                Value(values, value, FieldPath.Key(path ?? "", key), errors);
        if (s.Properties() is not null)
            foreach (var (key, value) in obj)
                if (s.Property(key) is { } prop)
                    Value(prop, value, Child(path, key), errors);
    }

    private static void Value(JsonObject s, JsonNode? value, string path, List<FieldError> errors)
    {
        switch (value)
        {
            case JsonArray list: Array(s, list, path, errors); break;
            case JsonObject obj: Object(s, obj, path, errors); break;
        }
    }

    private static void Array(JsonObject s, JsonArray list, string path, List<FieldError> errors)
    {
        switch (s.ListType())
        {
            case "set":
                foreach (var i in SecondOccurrences(list.ToList()))
                    errors.Add(FieldError.Duplicate(FieldPath.Index(path, i), FieldValue.Of(list[i])));
                break;
            case "map":
                Map(s, list, path, errors);
                break;
        }
        if (s.Items() is { } items)
            for (var i = 0; i < list.Count; i++) Value(items, list[i], FieldPath.Index(path, i), errors);
    }

    private static void Map(JsonObject s, JsonArray list, string path, List<FieldError> errors)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] is not null and not JsonObject)
            {
                errors.Add(FieldError.Invalid(FieldPath.Index(path, i), FieldValue.Of(list[i]), "must be an object for an array of list-type map"));
                return;
            }
        if (list.Count <= 1) return;
        var keyFields = s.ListMapKeys();
        var keys = list.Select(item =>
        {
            var key = new JsonObject();
            if (item is JsonObject o)
                foreach (var k in keyFields)
                    if (o.TryGetPropertyValue(k, out var v)) key[k] = v?.DeepClone();
            return (JsonNode?)key;
        }).ToList();
        foreach (var i in SecondOccurrences(keys))
            errors.Add(FieldError.Duplicate(FieldPath.Index(path, i), FieldValue.Of(keys[i])));
    }

    /// <summary>Indexes of the second occurrence of each repeated element (JSON equality; 1 and 1.0 differ, as in Go).</summary>
    private static List<int> SecondOccurrences(List<JsonNode?> items)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<int>();
        for (var i = 0; i < items.Count; i++)
        {
            var key = SchemaNode.KindOf(items[i]) + ":" + GoFormat.Json(items[i]);
            seen[key] = seen.TryGetValue(key, out var times) ? times + 1 : 1;
            if (times == 1) result.Add(i);
        }
        return result;
    }
}
