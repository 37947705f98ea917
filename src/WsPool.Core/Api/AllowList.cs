using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace WsPool.Core.Api;

/// <summary>
/// Whole-string matching of the allow-list grammars. .NET's <c>$</c> also matches before a final newline, so
/// <c>IsMatch("WSPOOL\n")</c> would pass <c>^[A-Za-z0-9]+$</c>; a trailing newline is exactly the injection the grammars
/// exist to stop (CVE-2021-25748). A match therefore counts only when it spans the whole input.
/// </summary>
public static class AllowList
{
    private static readonly ConcurrentDictionary<string, Regex> Compiled = new();

    /// <summary>True when <paramref name="pattern"/> matches all of <paramref name="text"/>.</summary>
    public static bool Matches(string pattern, string text) =>
        Matches(Compiled.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))), text);

    /// <summary>True when <paramref name="regex"/> matches all of <paramref name="text"/>.</summary>
    public static bool Matches(Regex regex, string text)
    {
        try
        {
            var match = regex.Match(text);
            return match.Success && match.Index == 0 && match.Length == text.Length;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
