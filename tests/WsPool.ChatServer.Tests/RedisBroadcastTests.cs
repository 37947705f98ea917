using WsPool.Testing;

namespace WsPool.ChatServer.Tests;

/// <summary>Cross-replica broadcast through a real redis-server started by the test.</summary>
public sealed class RedisBroadcastTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_message_sent_to_one_replica_reaches_clients_of_another_through_redis()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var one = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.2", RedisUrl = redis.Url });
        await using var two = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.3", RedisUrl = redis.Url });
        await using var alice = await WebSocketTestClient.ConnectAsync(one.WebSocketUri);
        await using var bob = await WebSocketTestClient.ConnectAsync(two.WebSocketUri);

        await alice.SendAsync("across the pool");

        (await bob.NextMessageAsync(Wait)).Should().Be("across the pool");
    }

    [Fact]
    public async Task The_sending_replica_delivers_a_message_once_not_again_from_redis()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var one = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.2", RedisUrl = redis.Url });
        await using var two = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.3", RedisUrl = redis.Url });
        await using var alice = await WebSocketTestClient.ConnectAsync(one.WebSocketUri);
        await using var bob = await WebSocketTestClient.ConnectAsync(two.WebSocketUri);

        await alice.SendAsync("first");
        (await alice.NextMessageAsync(Wait)).Should().Be("first");
        (await bob.NextMessageAsync(Wait)).Should().Be("first");
        await bob.SendAsync("second");

        (await alice.NextMessageAsync(Wait)).Should().Be("second", "a duplicate 'first' would come before it");
        (await bob.NextMessageAsync(Wait)).Should().Be("second");
    }

    [Fact]
    public async Task A_password_protected_broker_works_with_the_password_in_the_url()
    {
        await using var redis = await RedisServerProcess.StartAsync(password: "s3cret/with:odd@chars");
        await using var one = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.2", RedisUrl = redis.Url });
        await using var two = await ChatServerProcess.StartAsync(new ChatServerOptions { Address = "127.0.0.3", RedisUrl = redis.Url });
        await using var alice = await WebSocketTestClient.ConnectAsync(one.WebSocketUri);
        await using var bob = await WebSocketTestClient.ConnectAsync(two.WebSocketUri);

        await alice.SendAsync("authenticated");

        (await bob.NextMessageAsync(Wait)).Should().Be("authenticated");
        one.Output.Should().NotContain("s3cret", "logs never show the broker password");
    }
}
