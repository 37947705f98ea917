using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>
/// Orders field paths the way the fields are declared (and so the way a manifest usually lists them): metadata
/// before spec, spec.template before spec.port, a parent before its children, item 2 before item 10. Errors sorted
/// by it read top to bottom like the file, and the order never depends on which rule happened to run first.
/// </summary>
public sealed class FieldOrder : IComparer<string>
{
    public static readonly FieldOrder Instance = new();

    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, (int Index, Type Type)>> Fields = new();

    public int Compare(string? x, string? y)
    {
        var a = Key(x ?? "");
        var b = Key(y ?? "");
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var c = a[i].Rank.CompareTo(b[i].Rank);
            if (c == 0) c = string.CompareOrdinal(a[i].Text, b[i].Text);
            if (c != 0) return c;
        }
        return a.Count.CompareTo(b.Count);
    }

    private static List<(int Rank, string Text)> Key(string path)
    {
        var key = new List<(int, string)>();
        Type? type = typeof(WebSocketPool);
        foreach (var (segment, isIndex) in Segments(path))
        {
            if (isIndex)
            {
                type = ItemType(type);
                key.Add(int.TryParse(segment, out var n) ? (n, "") : (0, segment));
                continue;
            }
            if (type is not null && FieldsOf(type).TryGetValue(segment, out var field))
            {
                key.Add((field.Index, segment));
                type = field.Type;
            }
            else
            {
                key.Add((int.MaxValue, segment));
                type = null;
            }
        }
        return key;
    }

    /// <summary>Splits <c>a.b[0]["x.y"]</c> into (a), (b), [0], [x.y].</summary>
    private static IEnumerable<(string Segment, bool IsIndex)> Segments(string path)
    {
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.') { i++; continue; }
            if (path[i] == '[')
            {
                if (i + 1 < path.Length && path[i + 1] == '"')
                {
                    // A JSON-quoted key (see FieldPath): find the closing quote, skipping escaped characters.
                    var j = i + 2;
                    while (j < path.Length && path[j] != '"') j += path[j] == '\\' ? 2 : 1;
                    var quoted = path[(i + 1)..Math.Min(j + 1, path.Length)];
                    string? text;
                    try { text = JsonSerializer.Deserialize<string>(quoted); }
                    catch (JsonException) { text = quoted; }
                    yield return (text ?? quoted, true);
                    i = Math.Min(j + 2, path.Length); // past the closing quote and ']'
                    continue;
                }
                var close = path.IndexOf(']', i);
                if (close < 0) { yield return (path[(i + 1)..], true); yield break; }
                yield return (path[(i + 1)..close], true);
                i = close + 1;
                continue;
            }
            var end = path.IndexOfAny(['.', '['], i);
            if (end < 0) end = path.Length;
            yield return (path[i..end], false);
            i = end;
        }
    }

    private static Type? ItemType(Type? type)
    {
        if (type is null) return null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is not null) return dictionary.GetGenericArguments()[1];
        var enumerable = type.GetInterfaces().Append(type)
            .FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return type == typeof(string) ? null : enumerable?.GetGenericArguments()[0];
    }

    private static IReadOnlyDictionary<string, (int Index, Type Type)> FieldsOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return Fields.GetOrAdd(type, t =>
        {
            var result = new Dictionary<string, (int, Type)>(StringComparer.Ordinal);
            var index = 0;
            foreach (var property in t.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
            {
                var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
                if (name is not null) result.TryAdd(name, (index++, property.PropertyType));
            }
            return result;
        });
    }
}
