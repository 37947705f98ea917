using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Apply;

/// <summary>
/// A set of field paths in the structured-merge-diff form the API server stores in <c>managedFields</c>
/// (<c>fieldsV1</c>): path elements are <c>f:field</c>, <c>k:{"key":"value"}</c> (an item of an associative list),
/// <c>v:value</c> (an item of a set) and <c>i:index</c>; <c>"."</c> marks that the node itself is a member.
/// </summary>
public sealed class FieldSet
{
    private SortedDictionary<string, FieldSet>? _children;

    /// <summary>Whether the path leading here is itself in the set.</summary>
    public bool Member { get; set; }

    public IReadOnlyDictionary<string, FieldSet> Children =>
        (IReadOnlyDictionary<string, FieldSet>?)_children ?? EmptyChildren;

    public bool IsEmpty => !Member && (_children is null || _children.Values.All(c => c.IsEmpty));

    public void Insert(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path) node = node.Child(element);
        node.Member = true;
    }

    public bool Contains(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
            if (node._children is null || !node._children.TryGetValue(element, out node)) return false;
        return node.Member;
    }

    public void Remove(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
            if (node._children is null || !node._children.TryGetValue(element, out node)) return;
        node.Member = false;
    }

    /// <summary>Every member path, parents before children.</summary>
    public IEnumerable<string[]> Members() => Walk([]);

    /// <summary>Member paths that have no member below them (the values an apply actually sets).</summary>
    public IEnumerable<string[]> Leaves()
    {
        var result = new List<string[]>();
        CollectLeaves([], result);
        return result;
    }

    /// <summary>Adds member paths with no member below; returns whether this subtree holds any member.</summary>
    private bool CollectLeaves(string[] prefix, List<string[]> result)
    {
        var below = false;
        if (_children is not null)
            foreach (var (element, child) in _children)
                below |= child.CollectLeaves([.. prefix, element], result);
        if (Member && !below && prefix.Length > 0) result.Add(prefix);
        return below || Member;
    }

    public FieldSet Clone()
    {
        var copy = new FieldSet();
        foreach (var p in Members()) copy.Insert(p);
        return copy;
    }

    private IEnumerable<string[]> Walk(string[] prefix)
    {
        if (Member && prefix.Length > 0) yield return prefix;
        if (_children is null) yield break;
        foreach (var (element, child) in _children)
            foreach (var p in child.Walk([.. prefix, element])) yield return p;
    }

    private FieldSet Child(string element)
    {
        _children ??= new SortedDictionary<string, FieldSet>(StringComparer.Ordinal);
        if (!_children.TryGetValue(element, out var child)) _children[element] = child = new FieldSet();
        return child;
    }

    public JsonObject ToFieldsV1()
    {
        var obj = new JsonObject();
        if (_children is null) return obj;
        foreach (var (element, child) in _children)
        {
            if (child.IsEmpty) continue;
            var inner = child.ToFieldsV1();
            if (child.Member && inner.Count > 0)
            {
                var withSelf = new JsonObject { ["."] = new JsonObject() };
                foreach (var (k, v) in inner) withSelf[k] = v?.DeepClone();
                inner = withSelf;
            }
            obj[element] = inner;
        }
        return obj;
    }

    public static FieldSet FromFieldsV1(JsonObject? fields)
    {
        var set = new FieldSet();
        if (fields is not null) Read(set, fields);
        return set;
    }

    private static void Read(FieldSet node, JsonObject fields)
    {
        foreach (var (element, value) in fields)
        {
            if (element == ".") { node.Member = true; continue; }
            var child = node.Child(element);
            if (value is JsonObject o && o.Count > 0) Read(child, o);
            else child.Member = true;
        }
    }

    public static string PathText(IReadOnlyList<string> path) =>
        string.Concat(path.Select(e => e.StartsWith("f:", StringComparison.Ordinal) ? "." + e[2..] : $"[{e[2..]}]"));

    private static readonly IReadOnlyDictionary<string, FieldSet> EmptyChildren = new Dictionary<string, FieldSet>();
}
