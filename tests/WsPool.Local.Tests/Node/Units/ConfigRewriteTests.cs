using WsPool.Local.Node;

namespace WsPool.Local.Tests.Node.Units;

public sealed class ConfigRewriteTests
{
    private static readonly MountMap Mounts = new([
        ("/usr/local/etc/haproxy", "/state/pod/volumes/config"),
        ("/var/run/haproxy", "/state/pod/volumes/run"),
        ("/etc/wspool/tls", "/state/pod/volumes/tls"),
    ]);

    [Fact]
    public void HAProxy_listeners_bind_the_pod_address_and_mount_paths_become_pod_directories()
    {
        var config = """
            global
                stats socket /var/run/haproxy/admin.sock mode 600 level admin
            frontend websocket
                bind :8443 ssl crt /etc/wspool/tls/tls.crt alpn http/1.1
                bind *:8080
                bind 0.0.0.0:8404
                bind 127.0.0.1:9999
            """;

        var rewritten = ConfigRewrite.HAProxy(config, Mounts, "127.0.0.9", "/state/pod");

        rewritten.Should().Contain("bind 127.0.0.9:8443 ssl crt /state/pod/volumes/tls/tls.crt alpn http/1.1")
            .And.Contain("bind 127.0.0.9:8080").And.Contain("bind 127.0.0.9:8404")
            .And.Contain("bind 127.0.0.1:9999", "an explicit address is the author's choice")
            .And.Contain("stats socket /state/pod/volumes/run/admin.sock mode 600");
    }

    [Fact]
    public void A_socket_or_pid_file_outside_every_mount_moves_into_the_pod_directory()
    {
        var rewritten = ConfigRewrite.HAProxy("global\n    stats socket /run/haproxy.sock\n    pidfile /run/haproxy.pid\n", Mounts, "127.0.0.9", "/state/pod");

        rewritten.Should().Contain("stats socket /state/pod/run/haproxy.sock").And.Contain("pidfile /state/pod/run/haproxy.pid");
    }

    [Fact]
    public void A_socket_path_too_long_for_a_socket_address_is_an_error_that_says_so()
    {
        var deep = "/" + new string('d', 120);

        FluentActions.Invoking(() => ConfigRewrite.HAProxy("global\n    stats socket /run/a.sock\n", MountMap.Empty, "127.0.0.9", deep))
            .Should().Throw<InvalidOperationException>().WithMessage("*shorter state directory*");
    }

    [Fact]
    public void Nginx_listeners_bind_the_pod_address_ipv6_wildcards_go_and_a_stream_block_loads_its_module()
    {
        var mounts = new MountMap([("/tmp/nginx", "/state/pod/volumes/run")]);
        var config = """
            pid /tmp/nginx/nginx.pid;
            stream {
                server {
                    listen 8080;
                    listen [::]:8080;
                    listen 8443 ssl;
                }
            }
            http {
                client_body_temp_path /tmp/nginx/client_body;
                server { listen *:8404; listen [::]:8404; }
            }
            """;

        var rewritten = ConfigRewrite.Nginx(config, mounts, "127.0.0.9", "/state/pod", "/modules/ngx_stream_module.so");

        rewritten.Should().StartWith("load_module /modules/ngx_stream_module.so;\n")
            .And.Contain("listen 127.0.0.9:8080;").And.Contain("listen 127.0.0.9:8443 ssl;").And.Contain("server { listen 127.0.0.9:8404; ")
            .And.Contain("pid /state/pod/volumes/run/nginx.pid;").And.Contain("client_body_temp_path /state/pod/volumes/run/client_body;")
            .And.NotContain("[::]");
    }

    [Fact]
    public void A_mount_path_is_rewritten_only_as_a_whole_path()
    {
        var mounts = new MountMap([("/tmp/nginx", "/host/run"), ("/etc/app", "/host/app"), ("/etc/app/tls", "/host/tls")]);

        mounts.Rewrite("/tmp/nginx /tmp/nginx/x /tmp/nginx2 /x/tmp/nginx '/etc/app/tls/k' /etc/app/a")
            .Should().Be("/host/run /host/run/x /tmp/nginx2 /x/tmp/nginx '/host/tls/k' /host/app/a");
        mounts.HostPathOf("/etc/app/tls/tls.crt").Should().Be("/host/tls/tls.crt");
        mounts.HostPathOf("/etc/other").Should().BeNull();
    }
}
