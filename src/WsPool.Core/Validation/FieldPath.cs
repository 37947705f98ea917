using System.Text.Json;
using System.Text.RegularExpressions;
using WsPool.Core.Api;

namespace WsPool.Core.Validation;

/// <summary>
/// Builds field paths as users read them in error messages: <c>spec.template.spec.containers[0].name</c>,
/// <c>spec.template.metadata.labels[app]</c>. A name or key outside a plain grammar is JSON-quoted, so a field named
/// with a newline cannot forge extra lines in an error report.
/// </summary>
public static partial class FieldPath
{
    /// <summary>The path of a property of the object at <paramref name="parent"/>.</summary>
    public static string Field(string parent, string name)
    {
        if (!AllowList.Matches(PlainName(), name)) return $"{parent}[{JsonSerializer.Serialize(name)}]";
        return parent.Length == 0 ? name : $"{parent}.{name}";
    }

    /// <summary>The path of an item of the list at <paramref name="parent"/>.</summary>
    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The path of a value of the map at <paramref name="parent"/>.</summary>
    public static string Key(string parent, string key) =>
        AllowList.Matches(PlainKey(), key) ? $"{parent}[{key}]" : $"{parent}[{JsonSerializer.Serialize(key)}]";

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();

    [GeneratedRegex("^[A-Za-z0-9._/-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainKey();
}
