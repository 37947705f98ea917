using System.Text.RegularExpressions;
using k8s;
using WsPool.Core.Api;
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
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            // Context errors ("while scanning a mapping ...") start where the context began; the problem is at the end.
            var mark = e.Start.Line == e.End.Line ? e.Start : e.End;
            var location = mark.Equals(Mark.Empty) || e.Start.Index == e.End.Index && e.Start.Index == 0
                ? Unmarked(text, fileName, parser.Last)
                : new SourceLocation(fileName, (int)mark.Line, (int)mark.Column);
            return new PoolFile(fileName, [], [new Problem(fileName, "", $"malformed YAML: {Describe(e)}", location)]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner sometimes fails without a mark (an unterminated flow collection at the end of
            // input); the last event it did parse is the best position there is.
            var location = new SourceLocation(fileName, (int)parser.Last.Line, (int)parser.Last.Column);
            return new PoolFile(fileName, [], [new Problem(fileName, "", "malformed YAML: unexpected end of a flow collection or scalar", location)]);
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
        if (!checker.CanPrune) return;

        WebSocketPool pool;
        try
        {
            pool = KubernetesYaml.Deserialize<WebSocketPool>(Serialize(document), strict: true);
        }
        catch (Exception e) when (e is YamlException or FormatException or InvalidOperationException or OverflowException)
        {
            // The shape check should have caught everything the deserializer rejects; keep the promise of no throw.
            var inner = e;
            while (inner.InnerException is not null) inner = inner.InnerException;
            problems.Add(new Problem(id, "", $"cannot be read: {(inner is YamlException y ? Describe(y) : inner.Message)}", checker.At(document), index));
            return;
        }

        if (seen.TryGetValue(id, out var first))
        {
            problems.Add(new Problem(id, "metadata.name", $"the same pool is already defined by document #{first}",
                checker.Locations.GetValueOrDefault("metadata.name"), index));
            return;
        }
        seen[id] = index;
        pools.Add(new LoadedPool(id, index, pool, checker.At(document), checker.Locations) { Replaced = checker.Replaced });
    }

    /// <summary>
    /// Some scanner errors carry no position (a tab used as indentation); the first tab-indented line after the last
    /// parsed event is where it is, else that event itself.
    /// </summary>
    private static SourceLocation Unmarked(string text, string fileName, Mark last)
    {
        var lines = text.Split('\n');
        for (var i = Math.Max(0, (int)last.Line - 1); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent) return new SourceLocation(fileName, i + 1, tab + 1);
        }
        return new SourceLocation(fileName, Math.Max(1, (int)last.Line), Math.Max(1, (int)last.Column));
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
        // Flow styles and plain scalars are re-emitted as written, which is not always valid once the tree was pruned
        // or when a plain scalar was only legal in block context: let the emitter choose and quote as needed.
        foreach (var node in document.AllNodes)
        {
            switch (node)
            {
                case YamlMappingNode map: map.Style = YamlDotNet.Core.Events.MappingStyle.Block; break;
                case YamlSequenceNode list: list.Style = YamlDotNet.Core.Events.SequenceStyle.Block; break;
                case YamlScalarNode { Style: ScalarStyle.Plain } scalar: scalar.Style = ScalarStyle.Any; break;
            }
        }
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

    /// <summary>Remembers where the last parsed event ended, for errors that come without a position.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark Last { get; private set; } = Mark.Empty;
        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current) Last = current.End;
            return moved;
        }
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex MarkPrefix();
}
