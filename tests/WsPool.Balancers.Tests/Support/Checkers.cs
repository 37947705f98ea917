namespace WsPool.Balancers.Tests.Support;

/// <summary>The real config checkers: <c>haproxy -c -f</c> and <c>nginx -t</c>, on a config prepared by <see cref="LocalRun"/>.</summary>
public static class Checkers
{
    public static string HAProxy => Tools.Path(Tools.HAProxy);
    public static string Nginx => Tools.Path(Tools.Nginx);

    public static RealTool.Result CheckHAProxy(string renderedConfig)
    {
        using var run = new LocalRun();
        var file = run.WriteFile("haproxy.cfg", run.ForHAProxy(renderedConfig));
        return RealTool.Run(HAProxy, ["-c", "-f", file], run.HAProxyEnvironment);
    }

    public static RealTool.Result CheckNginx(string renderedConfig)
    {
        using var run = new LocalRun();
        var file = run.WriteFile("nginx.conf", run.ForNginxCheck(renderedConfig));
        return RealTool.Run(Nginx, ["-t", "-q", "-p", run.Root + "/", "-e", "stderr", "-c", file]);
    }
}
