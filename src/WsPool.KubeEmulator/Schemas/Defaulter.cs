using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>
/// Applies a structural schema's defaults the way the API server does on every decode, on write and on read
/// (defaulting/algorithm.go): top-down, a missing property (or a null one that is not nullable) gets a copy of its
/// default, and the defaulted value then gets its own nested defaults; list items and map values are defaulted too.
/// </summary>
public static class Defaulter
{
    public static void Apply(JsonNode? x, JsonObject? s)
    {
        if (s is null) return;
        switch (x)
        {
            case JsonObject map:
                if (s.Properties() is { } properties)
                    foreach (var (name, child) in properties)
                    {
                        if (child is not JsonObject prop || !prop.HasDefault()) continue;
                        if (!map.TryGetPropertyValue(name, out var present) || (present is null && !prop.Nullable()))
                            map[name] = prop.Default()!.DeepClone();
                    }
                foreach (var (key, value) in map.ToList())
                {
                    if (s.Property(key) is { } prop) Apply(value, prop);
                    else if (s.AdditionalProperties() is { } values)
                    {
                        if (value is null && !values.Nullable() && values.HasDefault())
                        {
                            map[key] = values.Default()!.DeepClone();
                        }
                        Apply(map[key], values);
                    }
                }
                break;
            case JsonArray list when s.Items() is { } items:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is null && !items.Nullable() && items.HasDefault()) list[i] = items.Default()!.DeepClone();
                    Apply(list[i], items);
                }
                break;
        }
    }

    /// <summary>A defaulted copy of <paramref name="instance"/>.</summary>
    public static JsonNode? Defaulted(JsonObject schema, JsonNode? instance)
    {
        var copy = instance?.DeepClone();
        Apply(copy, schema);
        return copy;
    }
}
