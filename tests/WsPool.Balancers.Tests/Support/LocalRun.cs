using System.Text.RegularExpressions;
using WsPool.Core.Balancers;

namespace WsPool.Balancers.Tests.Support;

/// <summary>
/// Turns a rendered balancer config into one that runs on this machine, and says exactly what it changes: every
/// in-container directory (<see cref="BalancerPaths"/>) becomes a temporary directory, and the listen ports
/// (<see cref="BalancerPorts"/>) become free ports on 127.0.0.1. Nothing else is touched; each replacement is
/// counted so a config that stops matching the rewrite fails the test instead of silently running unchanged.
/// Discovery needs no rewrite: it is a render option (RenderOptions.ResolverAddress / Backends).
/// For NGINX one more line, only here: Debian builds the stream module as a dynamic module (the official image builds
/// it in), so a layer-4 config gets a <c>load_module</c> line first. Nothing is removed: the tests run NGINX 1.30,
/// which knows every directive the generator emits, <c>sticky cookie</c> included.
/// </summary>
public sealed class LocalRun : IDisposable
{
    public static string NginxStreamModule => Tools.NginxModule("ngx_stream_module.so");
    public const string CookieKey = "test-cookie-key-0123456789";

    private readonly TempDir _dir = new();

    public LocalRun(int? httpPort = null, int? httpsPort = null, int? observabilityPort = null)
    {
        // Three different ports: two listeners of one config on the same port is a config error of the test's making.
        var free = WsPool.Testing.FreePort.NextDistinct(3);
        HttpPort = httpPort ?? free[0];
        HttpsPort = httpsPort ?? free[1];
        ObservabilityPort = observabilityPort ?? free[2];
        TestCertificate.WriteTo(TlsDir);
        _dir.Dir("run");
    }

    public int HttpPort { get; }
    public int HttpsPort { get; }
    public int ObservabilityPort { get; }
    public string Root => _dir.Path;
    public string RunDir => Path.Combine(_dir.Path, "run");
    public string TlsDir => Path.Combine(_dir.Path, "tls");
    public string StatsSocket => Path.Combine(RunDir, "admin.sock");

    /// <summary>The environment HAProxy runs with (the Deployment fills the cookie key from its Secret).</summary>
    public IReadOnlyDictionary<string, string> HAProxyEnvironment { get; } =
        new Dictionary<string, string> { [HAProxyConfigBuilder.CookieKeyVariable] = CookieKey };

    public string ForHAProxy(string config)
    {
        config = ReplacePaths(config, BalancerPaths.HAProxyRunDir, RunDir);
        config = ReplacePaths(config, BalancerPaths.HAProxyConfigDir, _dir.Path);
        config = ReplacePaths(config, BalancerPaths.TlsDir, TlsDir);
        return Regex.Replace(config, "^(    bind) :(8080|8443|8404)\\b", m => $"{m.Groups[1].Value} 127.0.0.1:{Port(m.Groups[2].Value)}", RegexOptions.Multiline);
    }

    public string ForNginx(string config)
    {
        config = ReplacePaths(config, BalancerPaths.NginxRunDir, RunDir);
        config = ReplacePaths(config, BalancerPaths.TlsDir, TlsDir);
        config = Regex.Replace(config, "^(\\s+listen) (8080|8443|8404)\\b", m => $"{m.Groups[1].Value} 127.0.0.1:{Port(m.Groups[2].Value)}", RegexOptions.Multiline);
        if (Regex.IsMatch(config, "^stream \\{", RegexOptions.Multiline))
            config = $"load_module {NginxStreamModule};\n" + config;
        return config;
    }

    public string WriteFile(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private int Port(string containerPort) => containerPort switch
    {
        "8080" => HttpPort,
        "8443" => HttpsPort,
        _ => ObservabilityPort,
    };

    private static string ReplacePaths(string config, string from, string to) => config.Replace(from + "/", to + "/");

    public void Dispose() => _dir.Dispose();
}
