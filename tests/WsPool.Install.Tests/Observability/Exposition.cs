namespace WsPool.Install.Tests.Observability;

/// <summary>Metric names in Prometheus text exposition: every sample's name, and the series a TYPE line implies.</summary>
internal static class Exposition
{
    public static IReadOnlySet<string> Names(string text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                names.Add(parts[2]);
                if (parts.Length > 3 && parts[3] is "histogram" or "summary")
                    foreach (var suffix in new[] { "_bucket", "_sum", "_count" }) names.Add(parts[2] + suffix);
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                var end = line.IndexOfAny(['{', ' ']);
                names.Add(end < 0 ? line : line[..end]);
            }
        }
        return names;
    }
}
