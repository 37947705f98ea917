using System.Text;

namespace WsPool.Balancers.Tests.Support;

/// <summary>
/// Reads nginx.conf back into a directive tree, following NGINX's tokenizer (ngx_conf_read_token): whitespace
/// separates words, ';' ends a directive, '{' and '}' open and close blocks, '#' at the start of a word comments out
/// the rest of the line, quotes group a word and take backslash escapes.
/// </summary>
public static class NginxConfigParser
{
    public sealed record Directive(string Name, IReadOnlyList<string> Args, IReadOnlyList<Directive>? Block)
    {
        public IEnumerable<Directive> Find(string name) => (Block ?? []).Where(d => d.Name == name);

        /// <summary>Every directive in this block and below, depth first.</summary>
        public IEnumerable<Directive> All() => (Block ?? []).SelectMany(d => new[] { d }.Concat(d.All()));
    }

    public static Directive Parse(string text)
    {
        var tokens = Tokens(text).GetEnumerator();
        var root = ReadBlock(tokens, topLevel: true);
        return new Directive("", [], root);
    }

    private static List<Directive> ReadBlock(IEnumerator<(string Text, bool Special)> tokens, bool topLevel)
    {
        var block = new List<Directive>();
        var words = new List<string>();
        while (tokens.MoveNext())
        {
            var (text, special) = tokens.Current;
            if (!special) { words.Add(text); continue; }
            switch (text)
            {
                case ";":
                    if (words.Count == 0) throw new FormatException("empty directive");
                    block.Add(new Directive(words[0], words.Skip(1).ToList(), null));
                    words = [];
                    break;
                case "{":
                    if (words.Count == 0) throw new FormatException("block without a name");
                    block.Add(new Directive(words[0], words.Skip(1).ToList(), ReadBlock(tokens, topLevel: false)));
                    words = [];
                    break;
                case "}":
                    if (topLevel || words.Count > 0) throw new FormatException("unexpected '}'");
                    return block;
            }
        }
        if (!topLevel || words.Count > 0) throw new FormatException("unexpected end of file");
        return block;
    }

    /// <summary>NGINX unescapes \" \' \\ and \t \r \n; any other backslash stays.</summary>
    private static string Unescape(char next) =>
        next switch { '"' or '\'' or '\\' => next.ToString(), 't' => "\t", 'r' => "\r", 'n' => "\n", _ => "\\" + next };

    private static IEnumerable<(string Text, bool Special)> Tokens(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') { while (i < text.Length && text[i] != '\n') i++; continue; }
            if (c is ';' or '{' or '}') { i++; yield return (c.ToString(), true); continue; }
            var word = new StringBuilder();
            if (c is '\'' or '"')
            {
                var quote = c;
                i++;
                while (i < text.Length && text[i] != quote)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        var next = text[i + 1];
                        // NGINX unescapes \" \' \\ and \t \r \n; any other backslash stays.
                        word.Append(Unescape(next));
                        i += 2;
                        continue;
                    }
                    word.Append(text[i++]);
                }
                if (i >= text.Length) throw new FormatException("unterminated quote");
                i++;
                yield return (word.ToString(), false);
                continue;
            }
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (';' or '{' or '}'))
            {
                if (text[i] == '\\' && i + 1 < text.Length) { word.Append(Unescape(text[i + 1])); i += 2; continue; }
                word.Append(text[i++]);
            }
            yield return (word.ToString(), false);
        }
    }
}
