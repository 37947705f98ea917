using System.Text;
using System.Text.RegularExpressions;

namespace WsPool.Local.Node;

/// <summary>
/// One <c>--run IMAGE=COMMAND</c>: what to run on this machine for a container image the node has no built-in
/// command for. The image may end in <c>*</c> (any suffix: <c>ghcr.io/acme/ticker:*</c>) or leave out its tag (every
/// tag); otherwise it must match exactly. <c>docker.io/</c> and <c>library/</c> are ignored on both sides, as in
/// image references. The command is split into words like a shell would (quotes, backslashes) but is not run by a
/// shell: no pipes or redirections, and only <c>$POD_IP</c>, <c>$PORT</c> (or <c>${...}</c>) and Kubernetes'
/// <c>$(VAR)</c> references to the container's environment are substituted.
/// </summary>
public sealed record ImageMapping(string Image, IReadOnlyList<string> Command)
{
    public const string PodIPPlaceholder = "$POD_IP";
    public const string PortPlaceholder = "$PORT";

    /// <summary>Parses <c>IMAGE=COMMAND</c>; the message of the exception names the entry and what is wrong.</summary>
    public static ImageMapping Parse(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0)
            throw new ArgumentException($"--run '{text}': expected IMAGE=COMMAND, e.g. --run 'ghcr.io/acme/ticker:*=./ticker --listen $POD_IP:$PORT'");
        var image = text[..equals].Trim();
        var words = SplitWords(text[(equals + 1)..]);
        if (image.Length == 0 || image.Any(char.IsWhiteSpace))
            throw new ArgumentException($"--run '{text}': '{image}' is not an image reference");
        if (words.Count == 0) throw new ArgumentException($"--run '{text}': the command after '=' is empty");
        return new ImageMapping(image, words);
    }

    public bool Matches(string image)
    {
        var pattern = Normalize(Image);
        var candidate = Normalize(image);
        if (pattern.Contains('*'))
            return Regex.IsMatch(candidate, "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$");
        return HasTagOrDigest(pattern) ? pattern == candidate : pattern == Repository(candidate);
    }

    /// <summary>The command with the pod's address and port put in.</summary>
    public IReadOnlyList<string> CommandFor(string podIP, int? port) =>
        Command.Select(word => word
            .Replace("${POD_IP}", podIP, StringComparison.Ordinal)
            .Replace(PodIPPlaceholder, podIP, StringComparison.Ordinal)
            .Replace("${PORT}", port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparison.Ordinal)
            .Replace(PortPlaceholder, port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparison.Ordinal))
            .ToList();

    /// <summary>The repository part of an image reference (no tag, no digest), normalized.</summary>
    public static string Repository(string image)
    {
        var name = Normalize(image);
        var at = name.IndexOf('@');
        if (at >= 0) name = name[..at];
        var colon = name.LastIndexOf(':');
        // A colon before the last '/' belongs to a registry's port (registry:5000/app), not to a tag.
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    private static bool HasTagOrDigest(string image) => Repository(image) != image;

    private static string Normalize(string image)
    {
        var name = image.Trim();
        if (name.StartsWith("docker.io/", StringComparison.Ordinal)) name = name["docker.io/".Length..];
        if (name.StartsWith("library/", StringComparison.Ordinal)) name = name["library/".Length..];
        return name;
    }

    /// <summary>Splits a command line into words: blanks separate, quotes group, a backslash escapes (outside '').</summary>
    public static IReadOnlyList<string> SplitWords(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = null; else word.Append(c);
            }
            else if (c == '\\' && i + 1 < command.Length)
            {
                word.Append(command[++i]);
                inWord = true;
            }
            else if (quote == '"')
            {
                if (c == '"') quote = null; else word.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (quote is not null) throw new ArgumentException($"unterminated {quote} quote in '{command}'");
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
