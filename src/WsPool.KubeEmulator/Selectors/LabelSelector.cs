using WsPool.KubeEmulator.Errors;

namespace WsPool.KubeEmulator.Selectors;

/// <summary>
/// A label selector in the string form of the API (<c>a=b,c!=d,e in (x,y),f notin (z),g,!h</c>), all
/// requirements ANDed, as documented under "Labels and Selectors".
/// </summary>
public sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }

    private sealed record Requirement(string Key, Op Op, IReadOnlySet<string> Values);

    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static readonly LabelSelector Everything = new([]);

    public bool IsEverything => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var value);
            var ok = r.Op switch
            {
                Op.Equals => has && r.Values.Contains(value!),
                Op.In => has && r.Values.Contains(value!),
                Op.NotEquals => !has || !r.Values.Contains(value!),
                Op.NotIn => !has || !r.Values.Contains(value!),
                Op.Exists => has,
                _ => !has,
            };
            if (!ok) return false;
        }
        return true;
    }

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0) continue;
            requirements.Add(ParseRequirement(p));
        }
        return new LabelSelector(requirements);
    }

    private static Requirement ParseRequirement(string p)
    {
        if (p.StartsWith('!')) return new Requirement(Key(p[1..].Trim(), p), Op.DoesNotExist, Empty);
        var setMatch = System.Text.RegularExpressions.Regex.Match(p, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
        if (setMatch.Success)
        {
            var values = setMatch.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return new Requirement(Key(setMatch.Groups[1].Value, p), setMatch.Groups[2].Value == "in" ? Op.In : Op.NotIn,
                values.ToHashSet(StringComparer.Ordinal));
        }
        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var i = p.IndexOf(token, StringComparison.Ordinal);
            if (i > 0)
                return new Requirement(Key(p[..i].Trim(), p), op, new HashSet<string>(StringComparer.Ordinal) { p[(i + token.Length)..].Trim() });
        }
        return new Requirement(Key(p, p), Op.Exists, Empty);
    }

    private static string Key(string key, string requirement)
    {
        if (key.Length == 0 || key.Any(char.IsWhiteSpace) || key.IndexOfAny(['(', ')', ',', '=', '!']) >= 0)
            throw ApiError.BadRequest($"unable to parse requirement: invalid label key \"{key}\" in \"{requirement}\"");
        return key;
    }

    /// <summary>Splits on commas that are not inside a parenthesised value set.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static readonly IReadOnlySet<string> Empty = new HashSet<string>();
}
