using System.Globalization;
using System.Text.RegularExpressions;

namespace WsPool.Load;

/// <summary>Duration strings as wspool writes them: 500ms, 10s, 1m30s, 2h.</summary>
public static partial class Durations
{
    [GeneratedRegex("^(?:([0-9]{1,9})(ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex("([0-9]{1,9})(ms|s|m|h)")]
    private static partial Regex Part();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (!Whole().IsMatch(text)) return false;
        foreach (Match part in Part().Matches(text))
        {
            var amount = long.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            value += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }
        return true;
    }
}
