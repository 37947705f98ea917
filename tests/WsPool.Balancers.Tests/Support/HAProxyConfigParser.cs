using System.Text;

namespace WsPool.Balancers.Tests.Support;

/// <summary>
/// Reads haproxy.cfg back into sections of word lists, following HAProxy's own tokenizer rules (not the
/// generator's): '#' starts a comment outside quotes, single quotes are literal, double quotes take backslash
/// escapes and keep ${VAR} references, a backslash outside quotes escapes the next character. Written for the tests
/// so they can compare what HAProxy will read with what the generator meant.
/// </summary>
public static class HAProxyConfigParser
{
    public sealed record Section(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Directives)
    {
        public string Name => string.Join(' ', Header);

        /// <summary>Directives whose first words are <paramref name="prefix"/>.</summary>
        public IEnumerable<IReadOnlyList<string>> Find(params string[] prefix) =>
            Directives.Where(d => d.Count >= prefix.Length && d.Take(prefix.Length).SequenceEqual(prefix));
    }

    private static readonly HashSet<string> SectionKeywords =
        ["global", "defaults", "frontend", "backend", "listen", "resolvers", "peers", "userlist", "cache", "program", "http-errors", "ring", "mailers"];

    public static IReadOnlyList<Section> Parse(string text)
    {
        var sections = new List<(List<string> Header, List<IReadOnlyList<string>> Directives)>();
        foreach (var rawLine in text.Split('\n'))
        {
            var words = Words(rawLine);
            if (words.Count == 0) continue;
            if (SectionKeywords.Contains(words[0]) && !char.IsWhiteSpace(rawLine[0]))
            {
                sections.Add((words, []));
                continue;
            }
            if (sections.Count == 0) throw new FormatException($"directive outside a section: {rawLine}");
            sections[^1].Directives.Add(words);
        }
        return sections.Select(s => new Section(s.Header, s.Directives)).ToList();
    }

    public static Section Get(IReadOnlyList<Section> sections, string name) =>
        sections.Single(s => s.Name == name);

    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\r') continue;
            if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
                continue;
            }
            if (c == '#') break;
            inWord = true;
            if (c == '\\' && i + 1 < line.Length) { word.Append(line[++i]); continue; }
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                if (end < 0) throw new FormatException($"unterminated single quote: {line}");
                word.Append(line, i + 1, end - i - 1);
                i = end;
                continue;
            }
            if (c == '"')
            {
                i++;
                for (; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length) i++;
                    word.Append(line[i]);
                }
                if (i >= line.Length) throw new FormatException($"unterminated double quote: {line}");
                continue;
            }
            word.Append(c);
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
