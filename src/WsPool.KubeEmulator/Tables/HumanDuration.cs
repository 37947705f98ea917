namespace WsPool.KubeEmulator.Tables;

/// <summary>
/// An age as the API server writes it in a <c>date</c> cell (and kubectl in AGE): whole seconds under two minutes,
/// then minutes (with seconds under ten minutes), hours (with minutes under eight hours), days (with hours under
/// eight days) and years (with days under eight years). More than a second in the future is "&lt;invalid&gt;".
/// </summary>
public static class HumanDuration
{
    public static string Format(TimeSpan age)
    {
        var totalSeconds = (long)age.TotalSeconds;
        if (totalSeconds < -1) return "<invalid>";
        if (totalSeconds < 0) return "0s";
        if (totalSeconds < 120) return $"{totalSeconds}s";
        var minutes = totalSeconds / 60;
        if (minutes < 10) return WithRemainder(minutes, "m", totalSeconds % 60, "s");
        if (minutes < 180) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8) return WithRemainder(hours, "h", minutes % 60, "m");
        if (hours < 48) return $"{hours}h";
        var days = hours / 24;
        if (hours < 24 * 8) return WithRemainder(days, "d", hours % 24, "h");
        if (hours < 24 * 365 * 2) return $"{days}d";
        var years = days / 365;
        if (hours < 24 * 365 * 8) return WithRemainder(years, "y", days % 365, "d");
        return $"{years}y";
    }

    private static string WithRemainder(long whole, string unit, long rest, string restUnit) =>
        rest == 0 ? $"{whole}{unit}" : $"{whole}{unit}{rest}{restUnit}";
}
