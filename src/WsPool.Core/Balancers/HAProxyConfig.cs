using System.Text;
using System.Text.RegularExpressions;

namespace WsPool.Core.Balancers;

/// <summary>
/// haproxy.cfg as data: sections of directives made of words. The generator builds this model and only the
/// serializer below turns it into text, so quoting is decided in one place and a value can never end a line, start a
/// comment or split into two words. Tests parse the text back and compare it with this model.
/// </summary>
public sealed record HAProxyConfig(string Preamble, IReadOnlyList<HAProxySection> Sections)
{
    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var line in Preamble.Split('\n')) text.Append("# ").Append(line).Append('\n');
        foreach (var section in Sections)
        {
            text.Append('\n');
            foreach (var line in section.Comment.Split('\n')) text.Append("# ").Append(line).Append('\n');
            text.Append(HAProxyWord.Join(section.Header)).Append('\n');
            foreach (var directive in section.Directives)
            {
                if (directive.Comment is not null)
                    foreach (var line in directive.Comment.Split('\n')) text.Append("    # ").Append(line).Append('\n');
                text.Append("    ").Append(HAProxyWord.Join(directive.Words)).Append('\n');
            }
        }
        return text.ToString();
    }
}

/// <summary>A section: its header words (<c>backend pool</c>), a comment saying why it exists, and its directives.</summary>
public sealed record HAProxySection(IReadOnlyList<HAProxyWord> Header, string Comment, IReadOnlyList<HAProxyDirective> Directives);

/// <summary>One directive line; the optional comment goes on the line(s) above it.</summary>
public sealed record HAProxyDirective(IReadOnlyList<HAProxyWord> Words, string? Comment = null);

/// <summary>
/// One word of a directive. A plain word is written bare when it is made of characters HAProxy never treats
/// specially, in single quotes (no escapes, no variable expansion) otherwise, and refused when it cannot be written
/// safely at all (a quote, a control character or non-ASCII). An environment reference is written as "${NAME}".
/// </summary>
public readonly partial record struct HAProxyWord(string Text, bool IsEnvironmentReference = false)
{
    public static implicit operator HAProxyWord(string text) => new(text);

    /// <summary>A reference to an environment variable, expanded by HAProxy when it reads the file (secrets).</summary>
    public static HAProxyWord Environment(string name) =>
        EnvName().IsMatch(name) ? new($"${{{name}}}", true) : throw new ArgumentException($"bad environment variable name '{name}'");

    [GeneratedRegex("^[A-Za-z0-9._~/:@%=,+()\\[\\]!<>*^|&?{}-]+$")]
    private static partial Regex Bare();

    [GeneratedRegex("^[\\x20-\\x26\\x28-\\x7e]*$")]
    private static partial Regex SingleQuotable();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();

    public string Serialize()
    {
        if (IsEnvironmentReference) return $"\"{Text}\"";
        if (Bare().IsMatch(Text)) return Text;
        if (SingleQuotable().IsMatch(Text)) return $"'{Text}'";
        throw new ArgumentException($"cannot write '{Text}' into haproxy.cfg safely");
    }

    public static string Join(IEnumerable<HAProxyWord> words) => string.Join(' ', words.Select(w => w.Serialize()));

    public override string ToString() => Text;
}
