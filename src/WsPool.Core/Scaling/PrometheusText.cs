using System.Globalization;
using System.Text;

namespace WsPool.Core.Scaling;

/// <summary>One sample of the Prometheus text exposition format: a metric name, its labels and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// Reads the Prometheus text exposition format (version 0.0.4): comment and blank lines are skipped, label values
/// may hold escaped quotes, backslashes and newlines, values may be NaN or ±Inf, an optional timestamp follows.
/// Lines that do not parse are skipped rather than failing the whole scrape; what is wanted is then just absent.
/// </summary>
public static class PrometheusText
{
    public static IEnumerable<PrometheusSample> Parse(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (TryParseLine(line, out var sample)) yield return sample;
        }
    }

    /// <summary>The sum over every series of <paramref name="metricName"/>, or null when the metric is absent.</summary>
    public static double? Sum(string text, string metricName)
    {
        double? total = null;
        foreach (var sample in Parse(text))
            if (sample.Name == metricName) total = (total ?? 0) + sample.Value;
        return total;
    }

    private static bool TryParseLine(string line, out PrometheusSample sample)
    {
        sample = null!;
        var i = 0;
        while (i < line.Length && line[i] != '{' && !char.IsWhiteSpace(line[i])) i++;
        var name = line[..i];
        if (name.Length == 0) return false;
        var labels = new Dictionary<string, string>();
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                while (i < line.Length && (line[i] == ',' || char.IsWhiteSpace(line[i]))) i++;
                if (i >= line.Length) return false;
                if (line[i] == '}') { i++; break; }
                var eq = line.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"') return false;
                var key = line[i..eq].Trim();
                i = eq + 2;
                var value = new StringBuilder();
                while (i < line.Length && line[i] != '"')
                {
                    if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else value.Append(line[i]);
                    i++;
                }
                if (i >= line.Length) return false;
                i++;
                labels[key] = value.ToString();
            }
        }
        var rest = line[i..].Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length == 0 || !TryParseValue(rest[0], out var number)) return false;
        sample = new PrometheusSample(name, labels, number);
        return true;
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf": value = double.PositiveInfinity; return true;
            case "-Inf": value = double.NegativeInfinity; return true;
            case "NaN": value = double.NaN; return true;
            default: return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
