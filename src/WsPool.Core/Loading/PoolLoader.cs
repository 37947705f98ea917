using System.Text.RegularExpressions;
using k8s;
using WsPool.Core.Api;
using WsPool.Core.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WsPool.Core.Loading;

/// <summary>
/// Reads WebSocketPool documents from YAML text (pure: the caller reads the file and passes its display name).
/// Every problem is collected rather than thrown: malformed YAML with its line and column, documents of another
/// kind, and every unknown or mistyped field with its path and position. Empty documents are skipped.
/// </summary>
public static partial class PoolLoader
{
    /// <summary>Reads every pool in <paramref name="text"/>; <paramref name="fileName"/> only labels messages.</summary>
    public static PoolFile Load(string text, string fileName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var location = new SourceLocation(fileName, (int)e.Start.Line, (int)e.Start.Column);
            return new PoolFile(fileName, [], [new Problem(fileName, "", $"malformed YAML: {Describe(e)}", location)]);
        }

        var pools = new List<LoadedPool>();
        var problems = new List<Problem>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            var index = i + 1;
            var root = stream.Documents[i].RootNode;
            if (YamlShapeChecker.IsNull(root)) continue;
            LoadDocument(root, index, fileName, pools, problems, seen);
        }
        if (pools.Count == 0 && problems.Count == 0)
            problems.Add(new Problem(fileName, "", $"no {WebSocketPool.KindName} documents found"));
        return new PoolFile(fileName, pools, problems);
    }

    private static void LoadDocument(YamlNode root, int index, string fileName, List<LoadedPool> pools,
        List<Problem> problems, Dictionary<string, int> seen)
    {
        var checker = new YamlShapeChecker(fileName);
        var unnamed = $"{fileName}#{index}";
        if (root is not YamlMappingNode document)
        {
            problems.Add(new Problem(unnamed, "", "a document must be a map with apiVersion, kind, metadata and spec", checker.At(root), index));
            return;
        }

        var id = Identify(document) ?? unnamed;
        var apiVersion = ScalarAt(document, "apiVersion");
        var kind = ScalarAt(document, "kind");
        if (kind?.Value != WebSocketPool.KindName || apiVersion?.Value != WebSocketPool.GroupVersion)
        {
            var what = kind?.Value is { Length: > 0 } k ? $"{apiVersion?.Value ?? "(no apiVersion)"} {k}" : "a document without kind";
            problems.Add(new Problem(id, "",
                $"is {what}, not a {WebSocketPool.GroupVersion} {WebSocketPool.KindName}",
                checker.At((YamlNode?)kind ?? document), index));
            return;
        }

        checker.Check(document, typeof(WebSocketPool), "");
        foreach (var (path, message, location) in checker.Errors) problems.Add(new Problem(id, path, message, location, index));
        if (checker.Errors.Count > 0) return;

        WebSocketPool pool;
        try
        {
            pool = KubernetesYaml.Deserialize<WebSocketPool>(Serialize(document), strict: true);
        }
        catch (Exception e) when (e is YamlException or FormatException or InvalidOperationException or OverflowException)
        {
            // The shape check should have caught everything the deserializer rejects; keep the promise of no throw.
            problems.Add(new Problem(id, "", $"cannot be read: {(e is YamlException y ? Describe(y) : e.Message)}", checker.At(document), index));
            return;
        }

        if (seen.TryGetValue(id, out var first))
        {
            problems.Add(new Problem(id, "metadata.name", $"the same pool is already defined by document #{first}",
                checker.Locations.GetValueOrDefault("metadata.name"), index));
            return;
        }
        seen[id] = index;
        pools.Add(new LoadedPool(id, index, pool, checker.At(document), checker.Locations));
    }

    /// <summary><c>namespace/name</c> when both are written, <c>name</c> when only it is, otherwise null.</summary>
    private static string? Identify(YamlMappingNode document)
    {
        if (!document.Children.TryGetValue(new YamlScalarNode("metadata"), out var node) || node is not YamlMappingNode metadata)
            return null;
        var name = ScalarAt(metadata, "name")?.Value;
        if (string.IsNullOrEmpty(name)) return null;
        var ns = ScalarAt(metadata, "namespace")?.Value;
        return Printable(string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}");
    }

    /// <summary>Names go into one-line messages: control characters are escaped so they cannot forge lines.</summary>
    private static string Printable(string text) =>
        text.Any(char.IsControl) ? System.Text.Json.JsonSerializer.Serialize(text) : text;

    private static YamlScalarNode? ScalarAt(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node as YamlScalarNode : null;

    private static string Serialize(YamlMappingNode document)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(document)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>YamlDotNet prefixes its messages with the marks; the location is reported separately.</summary>
    private static string Describe(YamlException e)
    {
        var message = MarkPrefix().Replace(e.Message, "");
        return e.InnerException is YamlException inner ? $"{message}: {Describe(inner)}" : message;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex MarkPrefix();
}
