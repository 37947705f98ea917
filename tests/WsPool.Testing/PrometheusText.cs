using System.Globalization;

namespace WsPool.Testing;

/// <summary>Reads the Prometheus text exposition format into series → value (series keep their label text).</summary>
public static class PrometheusText
{
    public static IReadOnlyDictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var split = line.LastIndexOf(' ');
            if (split <= 0) continue;
            var series = line[..split];
            var valueText = line[(split + 1)..];
            // A sample may end with a timestamp: "name{...} value timestamp".
            if (double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                var beforeTimestamp = series.LastIndexOf(' ');
                if (beforeTimestamp > 0 && !series.EndsWith('}')
                    && double.TryParse(series[(beforeTimestamp + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var sampleValue))
                {
                    samples[series[..beforeTimestamp]] = sampleValue;
                    continue;
                }
                samples[series] = value;
            }
        }
        return samples;
    }
}
