using System.Net;
using System.Net.Sockets;
using WsPool.Core.Loading;
using WsPool.Local.Session;

namespace WsPool.Local.Tests.Session;

/// <summary>What `wspool local up` refuses before it starts anything, each with the fix named.</summary>
public sealed class PreflightTests
{
    private static IReadOnlyList<Core.Api.WebSocketPool> Pools(string yaml) =>
        PoolFileChecker.Check(yaml, "pool.yaml").Pools.Select(p => p.Pool).ToList();

    private static string Pool(string balancer = "HAProxy", int port = 8080) => $$"""
        apiVersion: wspool.dev/v1alpha1
        kind: WebSocketPool
        metadata: { name: p, namespace: t }
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: ghcr.io/wspool/chat-server:0.1.0
                  ports: [{ name: ws, containerPort: {{port}} }]
          balancer:
            type: {{balancer}}
            {{(balancer == "Gateway" ? "gateway: { parentRefs: [{ name: gw }] }" : "")}}
        """;

    private static LocalOptions Options() => new() { PoolFile = "pool.yaml", StateDirectory = Path.Combine(Path.GetTempPath(), $"wspool-preflight-{Guid.NewGuid():N}") };

    [Fact]
    public void A_pool_with_a_managed_balancer_on_free_ports_passes()
    {
        Preflight.Check(Pools(Pool()), Options()).Should().BeEmpty();
    }

    [Fact]
    public void A_balancer_only_a_cluster_controller_serves_is_refused_with_the_type_to_use()
    {
        Preflight.Check(Pools(Pool("Gateway")), Options()).Should().ContainSingle()
            .Which.Should().Contain("spec.balancer.type Gateway").And.Contain("set spec.balancer.type to HAProxy or Nginx");
    }

    [Fact]
    public void A_port_taken_on_every_address_is_refused_with_the_port_and_how_to_find_its_owner()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Preflight.Check(Pools(Pool(port: port)), Options()).Should().ContainSingle()
            .Which.Should().Contain($"port {port} is taken").And.Contain($"ss -ltnp 'sport = :{port}'");
    }

    [Fact]
    public void A_second_session_on_the_same_state_directory_is_refused()
    {
        var options = Options();
        Directory.CreateDirectory(options.StateDirectory);
        try
        {
            new SessionFile(Environment.ProcessId, "kubeconfig", "http://127.0.0.1:1", []).Write(options.StateDirectory);

            Preflight.Check(Pools(Pool()), options).Should().ContainSingle().Which.Should().Contain("wspool local down");
        }
        finally
        {
            Directory.Delete(options.StateDirectory, recursive: true);
        }
    }
}
