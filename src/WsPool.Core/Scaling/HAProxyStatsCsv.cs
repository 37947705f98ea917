using System.Globalization;

namespace WsPool.Core.Scaling;

/// <summary>One server line of HAProxy's stats CSV: its backend, slot name, address and current sessions.</summary>
public sealed record HAProxyServerStats(string Proxy, string Server, string? Address, long CurrentSessions, string Status);

/// <summary>
/// Reads HAProxy's stats CSV (<c>GET /stats;csv</c>, or <c>show stat</c>). Columns are found by the header line's
/// names (<c># pxname,svname,...,scur,...,status,...,addr</c>), not by position, so versions that add columns still
/// read. <c>addr</c> is only filled when the stats frontend has <c>stats show-legends</c>; server-template slots are
/// named ws1..wsN, so the address is what ties a slot to a pod.
/// </summary>
public static class HAProxyStatsCsv
{
    public static IReadOnlyList<HAProxyServerStats> ParseServers(string csv)
    {
        var lines = csv.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        var header = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))
            ?? throw new FormatException("HAProxy stats CSV has no '# pxname,svname,...' header line");
        var columns = header[2..].Split(',');
        int Column(string name)
        {
            var index = Array.IndexOf(columns, name);
            return index >= 0 ? index : throw new FormatException($"HAProxy stats CSV has no '{name}' column");
        }
        int proxy = Column("pxname"), server = Column("svname"), scur = Column("scur"), status = Column("status");
        var addr = Array.IndexOf(columns, "addr");

        var result = new List<HAProxyServerStats>();
        foreach (var line in lines.Where(l => l[0] != '#'))
        {
            var fields = line.Split(',');
            if (fields.Length <= Math.Max(scur, status)) continue;
            var name = fields[server];
            if (name is "FRONTEND" or "BACKEND") continue;
            var sessions = long.TryParse(fields[scur], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            var address = addr >= 0 && addr < fields.Length && fields[addr].Length > 0 ? fields[addr] : null;
            result.Add(new HAProxyServerStats(fields[proxy], name, address, sessions, fields[status]));
        }
        return result;
    }
}
