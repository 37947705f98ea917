using WsPool.Local.Node;

namespace WsPool.Local.Tests.Node.Units;

public sealed class ClusterNamesTests
{
    private static IReadOnlyList<KeyValuePair<string, string>> Env(params (string Name, string Value)[] variables) =>
        variables.Select(v => KeyValuePair.Create(v.Name, v.Value)).ToList();

    private static string? Resolve(string name) => name switch
    {
        "chat-redis.chat.svc" or "chat-redis.chat.svc.cluster.local" => "127.0.0.5",
        _ => null,
    };

    [Fact]
    public void A_service_name_in_a_url_becomes_the_address_it_resolves_to()
    {
        var env = ClusterNames.Substitute(Env(("WSPOOL_REDIS_URL", "redis://default:pw@chat-redis.chat.svc:6379")), Resolve);

        env.Single().Value.Should().Be("redis://default:pw@127.0.0.5:6379");
    }

    [Fact]
    public void The_fully_qualified_form_is_replaced_whole()
    {
        ClusterNames.Substitute(Env(("HOST", "chat-redis.chat.svc.cluster.local")), Resolve).Single().Value.Should().Be("127.0.0.5");
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("a.b.svc.example.com")]
    [InlineData("plain value")]
    public void Values_without_a_service_name_stay_as_they_are(string value)
    {
        ClusterNames.Substitute(Env(("X", value)), _ => throw new InvalidOperationException("nothing to resolve")).Single().Value.Should().Be(value);
    }

    [Fact]
    public void A_service_with_no_ready_endpoint_holds_the_container_back_naming_it()
    {
        var act = () => ClusterNames.Substitute(Env(("URL", "http://api.other.svc:80")), Resolve);

        act.Should().Throw<Exception>().WithMessage("*api.other.svc*no ready endpoint*");
    }
}
