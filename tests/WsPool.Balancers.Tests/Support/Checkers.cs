using System.Text.RegularExpressions;

namespace WsPool.Balancers.Tests.Support;

/// <summary>
/// The real config checkers: <c>haproxy -c -f</c> and <c>nginx -t</c>, on a config prepared by <see cref="LocalRun"/>.
/// A config passes only when the checker accepts it <b>and</b> says nothing about it: a warning today (a deprecated
/// keyword, an ignored option, a limit that does not fit) is an error in the next release or a setting that silently
/// does not apply, so <see cref="CheckResult.Complaints"/> must be empty too.
/// </summary>
public static partial class Checkers
{
    public static string HAProxy => Tools.Path(Tools.HAProxy);
    public static string Nginx => Tools.Path(Tools.Nginx);

    public static CheckResult CheckHAProxy(string renderedConfig)
    {
        using var run = new LocalRun();
        var file = run.WriteFile("haproxy.cfg", run.ForHAProxy(renderedConfig));
        return new(RealTool.Run(HAProxy, ["-c", "-f", file], run.HAProxyEnvironment), HAProxyComplaint());
    }

    public static CheckResult CheckNginx(string renderedConfig)
    {
        using var run = new LocalRun();
        var file = run.WriteFile("nginx.conf", run.ForNginx(renderedConfig));
        return new(RealTool.Run(Nginx, ["-t", "-q", "-p", run.Root + "/", "-e", "stderr", "-c", file]), NginxComplaint());
    }

    /// <summary>HAProxy's levels above NOTICE; a message's continuation lines ("   | ...") follow it.</summary>
    [GeneratedRegex(@"^\[(WARNING|ALERT)\]")]
    private static partial Regex HAProxyComplaint();

    /// <summary>NGINX's levels from warn up ("2026/01/01 00:00:00 [warn] 1#1: ..." or "nginx: [warn] ...").</summary>
    [GeneratedRegex(@"\[(warn|error|crit|alert|emerg)\]")]
    private static partial Regex NginxComplaint();

    public sealed record CheckResult(int ExitCode, string Output, IReadOnlyList<string> Complaints)
    {
        internal CheckResult(RealTool.Result run, Regex complaint)
            : this(run.ExitCode, run.Output, run.Output.Split('\n').Where(l => complaint.IsMatch(l)).ToList())
        {
        }

        /// <summary>Accepted, with no warning (or worse) on the way.</summary>
        public bool Clean => ExitCode == 0 && Complaints.Count == 0;
    }
}
