using WsPool.Core.Validation;

namespace WsPool.Core.Tests.Validation;

public class HostPortTests
{
    [Theory]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("kube-dns.kube-system.svc.cluster.local:53", "kube-dns.kube-system.svc.cluster.local:53")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    public void Accepts_addresses_a_config_can_hold(string text, string canonical)
    {
        HostPort.TryParse(text, out var result, out _).Should().BeTrue();
        result.Should().Be(canonical);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("host:80;")]
    [InlineData("a b:80")]
    [InlineData("host\n:80")]
    [InlineData("Host.Example:80")]
    [InlineData("::1:80")]
    [InlineData("300.1.1.1.1:80x")]
    public void Rejects_anything_else(string text) => HostPort.TryParse(text, out _, out _).Should().BeFalse();
}
