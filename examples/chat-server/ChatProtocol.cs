using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatServer;

/// <summary>
/// The tiny chat protocol (README.md): <c>/whoami</c> answers with this replica's name and address, <c>/echo ...</c> is
/// sent back to the sender only (for latency), anything else is broadcast unchanged to every client of the pool.
/// </summary>
public sealed class ChatProtocol(ChatSettings settings, ConnectionRegistry registry, Broadcaster broadcaster)
{
    public const string WhoAmI = "/whoami";
    public const string EchoPrefix = "/echo ";

    public void OnMessage(ChatConnection sender, string text)
    {
        if (text == WhoAmI)
        {
            var reply = new WhoAmIReply("whoami", settings.ReplicaName, sender.LocalAddress, sender.Id, registry.Count);
            sender.Send(JsonSerializer.SerializeToUtf8Bytes(reply, ProtocolJson.Default.WhoAmIReply));
        }
        else if (text.StartsWith(EchoPrefix, StringComparison.Ordinal))
        {
            sender.Send(Encoding.UTF8.GetBytes(text));
        }
        else
        {
            broadcaster.Broadcast(text);
        }
    }
}

/// <summary>The answer to <c>/whoami</c>: which replica the client landed on and the address it reached.</summary>
public sealed record WhoAmIReply(string Type, string Replica, string Address, long Connection, int Connections);

[JsonSerializable(typeof(WhoAmIReply))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ProtocolJson : JsonSerializerContext;
