namespace WsPool.Core.Balancers;

/// <summary>
/// Where files live inside a managed balancer's container. Every absolute path a generated config names starts with
/// one of these directories, so a test that runs the config on this machine maps each directory to a temporary one by
/// a plain prefix replacement (see the Balancers tests' LocalRun) and changes nothing else.
/// </summary>
public static class BalancerPaths
{
    /// <summary>HAProxy's config directory in the official image (the ConfigMap is mounted here).</summary>
    public const string HAProxyConfigDir = "/usr/local/etc/haproxy";
    /// <summary>A writable emptyDir for HAProxy's runtime API socket (the root filesystem is read-only).</summary>
    public const string HAProxyRunDir = "/var/run/haproxy";
    /// <summary>NGINX's config directory (the ConfigMap is mounted here).</summary>
    public const string NginxConfigDir = "/etc/wspool/nginx";
    /// <summary>A writable emptyDir for NGINX's pid file and temp files (the root filesystem is read-only).</summary>
    public const string NginxRunDir = "/tmp/nginx";
    /// <summary>The TLS Secret (kubernetes.io/tls: tls.crt and tls.key) mount, for both balancers.</summary>
    public const string TlsDir = "/etc/wspool/tls";

    public const string HAProxyConfigFile = "haproxy.cfg";
    public const string NginxConfigFile = "nginx.conf";
}
