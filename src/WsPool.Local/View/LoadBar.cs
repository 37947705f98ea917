using System.Text;

namespace WsPool.Local.View;

/// <summary>
/// A pod's connections drawn against its limit, as Spectre markup: <c>■■■■■■···|··········</c>. The whole width is
/// the per-pod limit, the <c>|</c> stands between the cells below and above the target, and the filled cells are
/// green up to the target, yellow past it, red at the limit (where the balancer starts to queue and refuse).
/// </summary>
public static class LoadBar
{
    public const char Filled = '■';
    public const char Empty = '·';
    public const char Target = '|';

    /// <summary>The bar as plain text, <paramref name="width"/> cells plus the target mark.</summary>
    public static string Text(long connections, int target, int limit, int width = 20) =>
        Build(connections, target, limit, width, colored: false);

    /// <summary>The bar as Spectre markup (the same characters, colored).</summary>
    public static string Markup(long connections, int target, int limit, int width = 20) =>
        Build(connections, target, limit, width, colored: true);

    private static string Build(long connections, int target, int limit, int width, bool colored)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var scale = Math.Max(limit, 1);
        var filled = (int)Math.Clamp(Math.Ceiling((double)Math.Max(connections, 0) / scale * width), 0, width);
        var targetAt = (int)Math.Clamp(Math.Round((double)Math.Max(target, 0) / scale * width), 0, width);
        var full = connections >= limit && limit > 0;

        var bar = new StringBuilder();
        void Run(int from, int to, char c, string color)
        {
            if (to <= from) return;
            var cells = new string(c, to - from);
            bar.Append(colored ? $"[{color}]{cells}[/]" : cells);
        }

        var belowTarget = Math.Min(filled, targetAt);
        Run(0, belowTarget, Filled, full ? "red" : "green");
        Run(belowTarget, targetAt, Empty, "grey");
        bar.Append(Target);
        Run(targetAt, Math.Max(filled, targetAt), Filled, full ? "red" : "yellow");
        Run(Math.Max(filled, targetAt), width, Empty, "grey");
        return bar.ToString();
    }
}
