using System.Text;

namespace WsPool.Cli;

/// <summary>
/// A pod's connections as a text bar scaled to the per-pod limit, with the target marked:
/// <c>██████████░░░░░░│░░░░░░░░░░░░░░</c> — filled up to the count, <c>│</c> at the target, the end is the limit.
/// </summary>
public static class ConnectionBar
{
    public const char Filled = '█';
    public const char Empty = '░';
    public const char TargetMark = '│';

    public static string Draw(long connections, int target, int limit, int width = 30)
    {
        if (width < 2) throw new ArgumentOutOfRangeException(nameof(width));
        var scale = Math.Max(limit, 1);
        var filled = (int)Math.Clamp(Math.Round((double)Math.Max(connections, 0) / scale * width), 0, width);
        var targetAt = (int)Math.Clamp(Math.Round((double)target / scale * width), 0, width - 1);
        var bar = new StringBuilder(width);
        for (var i = 0; i < width; i++) bar.Append(i == targetAt ? TargetMark : i < filled ? Filled : Empty);
        return bar.ToString();
    }
}
