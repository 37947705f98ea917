using System.Text;

namespace WsPool.Install.Tests.Chart;

/// <summary>
/// Reads literal YAML blocks (no template actions inside) out of a chart template, so they can be parsed into model
/// types without a template engine: the block under the line that is exactly INDENT spaces + KEY.
/// </summary>
internal static class TemplateBlocks
{
    public static string Block(string template, string key, int indent)
    {
        var lines = template.Split('\n');
        var header = new string(' ', indent) + key;
        var start = Array.FindIndex(lines, l => l.TrimEnd() == header);
        if (start < 0) throw new InvalidOperationException($"no line '{header}' in the template");
        var block = new StringBuilder();
        for (var i = start + 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            if (line.Length - line.TrimStart().Length <= indent) break;
            if (line.Contains("{{")) throw new InvalidOperationException($"'{key}' block has a template action: {line.Trim()}");
            block.Append(line[(indent + 2)..]).Append('\n');
        }
        return block.ToString();
    }

    /// <summary>The option names (--name=) in the container's args list, including optional ones inside `with`.</summary>
    public static IReadOnlyList<string> ArgNames(string template) =>
        template.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("- --", StringComparison.Ordinal))
            .Select(l => l[4..l.IndexOf('=')])
            .ToList();
}
