using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace ChatServer;

/// <summary>
/// Delivers a chat message to every client of the pool: straight to this replica's clients, and through Redis
/// Pub/Sub to the other replicas when a broker is configured. Each replica tags what it publishes with a random
/// instance id and skips its own messages when they come back from Redis, so local clients get each message once.
/// </summary>
public sealed class Broadcaster(ChatSettings settings, ConnectionRegistry registry, ILogger<Broadcaster> logger) : IHostedService, IAsyncDisposable
{
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer? _redis;
    private RedisChannel _channel;
    private volatile bool _subscribed;

    public bool UsesRedis => _redis is not null;

    public void Broadcast(string text)
    {
        registry.SendToAll(Encoding.UTF8.GetBytes(text));
        if (_redis is null) return;
        var envelope = JsonSerializer.Serialize(new Envelope(_instance, text), EnvelopeJson.Default.Envelope);
        try
        {
            _redis.GetSubscriber().Publish(_channel, envelope, CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            logger.LogWarning(e, "could not publish to Redis; the message reached this replica's clients only");
        }
    }

    /// <summary>Connects and subscribes before Kestrel listens, so the first client already gets cross-replica messages.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.RedisUrl is null) return;
        var options = RedisUrl.Parse(settings.RedisUrl);
        _channel = RedisChannel.Literal(settings.RedisChannel);
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        _redis.ConnectionFailed += (_, e) => logger.LogWarning("Redis connection lost: {FailureType} {Endpoint}", e.FailureType, e.EndPoint);
        _redis.ConnectionRestored += async (_, e) =>
        {
            logger.LogInformation("Redis connection restored: {Endpoint}", e.EndPoint);
            if (!_subscribed) await SubscribeAsync();
        };
        await SubscribeAsync();
        logger.LogInformation("broadcasting through Redis {Url} channel {Channel} (connected: {Connected})",
            RedisUrl.Redact(settings.RedisUrl), settings.RedisChannel, _redis.IsConnected);
    }

    private async Task SubscribeAsync()
    {
        try
        {
            await _redis!.GetSubscriber().SubscribeAsync(_channel, (_, value) => OnRedisMessage(value));
            _subscribed = true;
        }
        catch (RedisException e)
        {
            // Redis is down at start: serve local clients now, subscribe when the connection comes back.
            logger.LogWarning(e, "could not subscribe to Redis yet; retrying when the connection is restored");
        }
    }

    private void OnRedisMessage(RedisValue value)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize(value.ToString(), EnvelopeJson.Default.Envelope);
            if (envelope is null || envelope.Origin == _instance) return;
            registry.SendToAll(Encoding.UTF8.GetBytes(envelope.Text));
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "ignored a message on {Channel} that is not a chat envelope", settings.RedisChannel);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
    }
}

/// <summary>What replicas publish to each other: who sent it (to skip our own) and the text.</summary>
public sealed record Envelope(string Origin, string Text);

[System.Text.Json.Serialization.JsonSerializable(typeof(Envelope))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class EnvelopeJson : System.Text.Json.Serialization.JsonSerializerContext;
