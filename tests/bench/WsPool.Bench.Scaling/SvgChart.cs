using System.Globalization;
using System.Text;

namespace WsPool.Bench.Scaling;

/// <summary>
/// A hand-written SVG line chart of one trace: demand and each policy's ready capacity (ready pods × target) over
/// time. Long traces are bucketed to about 1,200 points: demand keeps each bucket's peak and capacity its trough, so
/// the chart never hides a shortfall.
/// </summary>
public static class SvgChart
{
    private const int Width = 960, Height = 440, Left = 70, Right = 150, Top = 48, Bottom = 50;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#ff7f0e", "#2ca02c", "#000000"];

    public static string Draw(Trace trace, IReadOnlyList<SimResult> results, PoolModel pool)
    {
        var n = trace.Seconds;
        var bucket = Math.Max(1, (int)Math.Ceiling(n / 1200.0));
        var demand = Bucket(results[0].Demand.Select(d => (double)d).ToArray(), bucket, max: true);
        var series = results.Select(r => Bucket(r.ReadyPods.Select(p => (double)p * pool.Target).ToArray(), bucket, max: false)).ToList();
        var yMax = NiceCeiling(Math.Max(demand.Max(), series.Max(s => s.Max())) * 1.05);
        var useHours = n > 7200;
        var xUnit = useHours ? 3600.0 : 60.0;

        double X(int i) => Left + (Width - Left - Right) * (i * bucket) / (double)Math.Max(1, n - 1);
        double Y(double v) => Top + (Height - Top - Bottom) * (1 - v / yMax);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").Append('\n');
        svg.Append("""<rect width="100%" height="100%" fill="white"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="20" font-size="15" font-weight="bold">{Escape(trace.Name)}: {Escape(trace.Description)}</text>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="37" fill="#555">ready capacity = ready pods × target ({pool.Target}); clients are refused above ready pods × limit ({pool.Limit}); pods ready {pool.StartupSeconds} s after creation</text>""").Append('\n');

        for (var k = 0; k <= 5; k++)
        {
            var v = yMax * k / 5;
            var y = Y(v);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{y:0.#}" x2="{Width - Right}" y2="{y:0.#}" stroke="#e5e5e5"/><text x="{Left - 6}" y="{y + 4:0.#}" text-anchor="end">{v:#,0}</text>""").Append('\n');
        }
        var step = NiceStep(n / xUnit / 8);
        for (var v = 0.0; v * xUnit <= n; v += step)
        {
            var x = Left + (Width - Left - Right) * v * xUnit / Math.Max(1, n - 1);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x:0.#}" y1="{Height - Bottom}" x2="{x:0.#}" y2="{Height - Bottom + 4}" stroke="#333"/><text x="{x:0.#}" y="{Height - Bottom + 17}" text-anchor="middle">{v:0.##}</text>""").Append('\n');
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(Left + Width - Right) / 2}" y="{Height - 12}" text-anchor="middle">time ({(useHours ? "hours" : "minutes")})</text>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{Height - Bottom}" x2="{Width - Right}" y2="{Height - Bottom}" stroke="#333"/><line x1="{Left}" y1="{Top}" x2="{Left}" y2="{Height - Bottom}" stroke="#333"/>""").Append('\n');

        void Line(double[] values, string color, double width, string label, int legendRow, string? dash = null)
        {
            var path = new StringBuilder();
            for (var i = 0; i < values.Length; i++)
                path.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "M" : "L")}{X(i):0.#},{Y(values[i]):0.#}");
            var dashAttr = dash is null ? "" : $" stroke-dasharray=\"{dash}\"";
            svg.Append(CultureInfo.InvariantCulture, $"""<path d="{path}" fill="none" stroke="{color}" stroke-width="{width}"{dashAttr}/>""").Append('\n');
            var ly = Top + 10 + legendRow * 20;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Width - Right + 12}" y1="{ly}" x2="{Width - Right + 36}" y2="{ly}" stroke="{color}" stroke-width="{width}"{dashAttr}/><text x="{Width - Right + 42}" y="{ly + 4}">{Escape(label)}</text>""").Append('\n');
        }

        // Demand underneath as a wide grey band, the policies over it, the oracle dashed on top (it hugs demand).
        Line(demand, "#9a9a9a", 5, "demand", 0);
        for (var i = 0; i < results.Count; i++)
            Line(series[i], Colors[(i + 1) % Colors.Length], results[i].Policy == "oracle" ? 1.5 : 2, results[i].Policy, i + 1,
                results[i].Policy == "oracle" ? "5,3" : null);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static double[] Bucket(double[] values, int size, bool max)
    {
        var result = new double[(values.Length + size - 1) / size];
        for (var i = 0; i < result.Length; i++)
        {
            var slice = values.Skip(i * size).Take(size);
            result[i] = max ? slice.Max() : slice.Min();
        }
        return result;
    }

    private static double NiceCeiling(double v)
    {
        if (v <= 0) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var m in new[] { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
            if (m * magnitude >= v) return m * magnitude;
        return 10 * magnitude;
    }

    private static double NiceStep(double raw)
    {
        foreach (var s in new[] { 0.25, 0.5, 1, 2, 3, 5, 10, 15, 30, 60 })
            if (s >= raw) return s;
        return 120;
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
