namespace WsPool.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void Core_assembly_loads() => typeof(WsPool.Core.Api.WebSocketPool).Assembly.GetName().Name.Should().Be("WsPool.Core");
}
