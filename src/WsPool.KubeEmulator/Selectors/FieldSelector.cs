using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Selectors;

/// <summary>
/// A field selector (<c>metadata.name=x,metadata.namespace!=y</c>). metadata.name and metadata.namespace work for
/// every kind, as in the API server; any other dotted path is compared as a string (the API server supports a
/// per-kind subset of those).
/// </summary>
public sealed class FieldSelector
{
    private sealed record Requirement(string Path, bool Equal, string Value);

    private readonly IReadOnlyList<Requirement> _requirements;

    private FieldSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static readonly FieldSelector Everything = new([]);

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var list = new List<Requirement>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var ne = raw.IndexOf("!=", StringComparison.Ordinal);
            if (ne > 0) { list.Add(new Requirement(raw[..ne].Trim(), false, raw[(ne + 2)..].Trim())); continue; }
            var eqeq = raw.IndexOf("==", StringComparison.Ordinal);
            if (eqeq > 0) { list.Add(new Requirement(raw[..eqeq].Trim(), true, raw[(eqeq + 2)..].Trim())); continue; }
            var eq = raw.IndexOf('=');
            if (eq > 0) { list.Add(new Requirement(raw[..eq].Trim(), true, raw[(eq + 1)..].Trim())); continue; }
            throw ApiError.BadRequest($"invalid field selector: \"{raw}\": expected an operator (=, ==, !=)");
        }
        return new FieldSelector(list);
    }

    public bool Matches(StoredObject o)
    {
        System.Text.Json.Nodes.JsonObject? parsed = null;
        foreach (var r in _requirements)
        {
            string? actual = r.Path switch
            {
                "metadata.name" => o.Name,
                "metadata.namespace" => o.Namespace,
                _ => JsonUtil.ScalarText(JsonUtil.AtPath(parsed ??= o.ToJsonObject(), r.Path)) ?? "",
            };
            if ((actual == r.Value) != r.Equal) return false;
        }
        return true;
    }
}
