using System.Text;
using System.Text.RegularExpressions;

namespace WsPool.Core.Balancers;

/// <summary>
/// nginx.conf as data: a tree of directives. The generator builds the tree and only the serializer turns it into
/// text, so quoting is decided in one place. Tests parse the text back and compare it with this tree.
/// </summary>
public sealed record NginxConfig(string Preamble, IReadOnlyList<NginxDirective> Directives)
{
    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var line in Preamble.Split('\n')) text.Append("# ").Append(line).Append('\n');
        Write(text, Directives, 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, IReadOnlyList<NginxDirective> directives, int depth)
    {
        var indent = new string(' ', depth * 4);
        for (var i = 0; i < directives.Count; i++)
        {
            var directive = directives[i];
            if (directive.Comment is not null)
            {
                if (i > 0 || depth == 0) text.Append('\n');
                foreach (var line in directive.Comment.Split('\n')) text.Append(indent).Append("# ").Append(line).Append('\n');
            }
            text.Append(indent).Append(NginxArg.QuoteName(directive.Name));
            foreach (var arg in directive.Args) text.Append(' ').Append(arg.Serialize());
            if (directive.Block is null)
            {
                text.Append(";\n");
                continue;
            }
            text.Append(" {\n");
            Write(text, directive.Block, depth + 1);
            text.Append(indent).Append("}\n");
        }
    }
}

/// <summary>One directive: name, arguments, an optional block of children and a comment above it.</summary>
public sealed record NginxDirective(string Name, IReadOnlyList<NginxArg> Args, IReadOnlyList<NginxDirective>? Block = null, string? Comment = null)
{
    public static NginxDirective Simple(string name, params NginxArg[] args) => new(name, args);
}

/// <summary>
/// One argument. A literal is written bare when made of characters NGINX never treats specially, in single quotes
/// (escaping ' and \) otherwise, and refused when it holds '$' (NGINX has no escape for it) or a control character.
/// A variable (<c>$remote_addr</c>) and a template (a log format, a regex) are trusted generator text: a variable
/// is checked against a strict shape, a template is quoted like a literal but may use '$'.
/// </summary>
public readonly partial record struct NginxArg(string Text, NginxArgKind Kind = NginxArgKind.Literal)
{
    public static implicit operator NginxArg(string text) => new(text);

    /// <summary>A variable such as <c>$http_x_token</c>.</summary>
    public static NginxArg Variable(string expression) =>
        VariableShape().IsMatch(expression) ? new(expression, NginxArgKind.Variable) : throw new ArgumentException($"bad NGINX variable '{expression}'");

    /// <summary>Generator-owned text that uses variables (never user input).</summary>
    public static NginxArg Template(string text) => new(text, NginxArgKind.Template);

    [GeneratedRegex("^[A-Za-z0-9._~/:@%=,+*!^|-]+$")]
    private static partial Regex Bare();

    [GeneratedRegex("^[\\x20-\\x23\\x25-\\x7e]*$")]
    private static partial Regex Quotable();

    [GeneratedRegex("^[\\x20-\\x7e]*$")]
    private static partial Regex TemplateQuotable();

    [GeneratedRegex("^[A-Za-z0-9._~/:@%=,+*!^|$()-]+$")]
    private static partial Regex BareTemplate();

    [GeneratedRegex("^\\$[a-z_][a-z0-9_]*$")]
    private static partial Regex VariableShape();

    public string Serialize() => Kind switch
    {
        NginxArgKind.Variable => Text,
        NginxArgKind.Template when BareTemplate().IsMatch(Text) => Text,
        NginxArgKind.Template when TemplateQuotable().IsMatch(Text) => "'" + Text.Replace("\\", "\\\\").Replace("'", "\\'") + "'",
        NginxArgKind.Template => throw new ArgumentException($"cannot write '{Text}' into nginx.conf safely"),
        _ => Quote(Text),
    };

    [GeneratedRegex("^[A-Za-z0-9._~/:@%=,+*!^|$-]+$")]
    private static partial Regex BareName();

    /// <summary>Directive names (and map keys) are always generator text: bare when possible, quoted otherwise.</summary>
    internal static string QuoteName(string name) => BareName().IsMatch(name) ? name : Template(name).Serialize();

    internal static string Quote(string text)
    {
        if (Bare().IsMatch(text)) return text;
        if (Quotable().IsMatch(text)) return "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
        throw new ArgumentException($"cannot write '{text}' into nginx.conf safely");
    }

    public override string ToString() => Text;
}

public enum NginxArgKind
{
    Literal,
    Variable,
    Template,
}
