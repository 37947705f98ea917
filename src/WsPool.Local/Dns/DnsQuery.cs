using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WsPool.Local.Dns;

/// <summary>
/// One DNS question for the A records of a name, over UDP, to a server at an address and port of our choosing.
/// System.Net.Dns only asks the resolver the machine is configured with, and local mode's DNS listens on a random
/// port of 127.0.0.1; this is the smallest client that can ask it (used to see that dnsmasq is up, and by tests).
/// RFC 1035 §4: a 12-byte header, the question, then resource records whose names may be compressed.
/// </summary>
public static class DnsQuery
{
    private const ushort TypeA = 1;
    private const ushort ClassIn = 1;

    /// <summary>Asks <paramref name="server"/> for the A records of <paramref name="name"/>; throws a TimeoutException when no answer comes.</summary>
    public static async Task<DnsAnswer> AskAsync(IPEndPoint server, string name, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        var question = Question(id, name);
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
            await socket.SendAsync(question, deadline.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            while (true)
            {
                var length = await socket.ReceiveAsync(buffer, deadline.Token).ConfigureAwait(false);
                // A late answer to an earlier question on a reused port is not ours: wait for the one that is.
                if (Parse(buffer.AsSpan(0, length), id) is { } answer) return answer;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no DNS answer from {server} for {name} within {timeout.TotalSeconds:0.#}s");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // ICMP port unreachable: nothing listens there (yet).
            throw new TimeoutException($"no DNS server on {server} (connection refused)", e);
        }
    }

    private static byte[] Question(ushort id, string name)
    {
        var packet = new List<byte>(64);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100); // a standard query, recursion desired
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);      // one question
        packet.AddRange(header.ToArray());
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63) throw new ArgumentException($"'{name}' is not a DNS name", nameof(name));
            packet.Add((byte)bytes.Length);
            packet.AddRange(bytes);
        }
        packet.Add(0);
        packet.AddRange([0, (byte)TypeA, 0, (byte)ClassIn]); // QTYPE A, QCLASS IN (big-endian)
        return packet.ToArray();
    }

    /// <summary>The answer in a response to question <paramref name="id"/>, or null for a packet that is not one.</summary>
    private static DnsAnswer? Parse(ReadOnlySpan<byte> packet, ushort id)
    {
        if (packet.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(packet) != id) return null;
        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if ((flags & 0x8000) == 0) return null; // not a response
        var code = (DnsResponseCode)(flags & 0x000F);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        var offset = 12;
        for (var i = 0; i < questions; i++) offset = SkipName(packet, offset) + 4;
        var addresses = new List<IPAddress>();
        int? minimumTtl = null;
        for (var i = 0; i < answers; i++)
        {
            offset = SkipName(packet, offset);
            if (offset + 10 > packet.Length) break;
            var type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            var @class = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            var ttl = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(packet[(offset + 4)..]), int.MaxValue);
            var length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 8)..]);
            offset += 10;
            if (offset + length > packet.Length) break;
            if (type == TypeA && @class == ClassIn && length == 4)
            {
                addresses.Add(new IPAddress(packet.Slice(offset, 4)));
                minimumTtl = Math.Min(minimumTtl ?? ttl, ttl);
            }
            offset += length;
        }
        return new DnsAnswer(code, addresses, minimumTtl);
    }

    /// <summary>The offset just past a name: a run of labels ending in a zero byte or in a 2-byte compression pointer.</summary>
    private static int SkipName(ReadOnlySpan<byte> packet, int offset)
    {
        while (offset < packet.Length)
        {
            var length = packet[offset];
            if (length == 0) return offset + 1;
            if ((length & 0xC0) == 0xC0) return offset + 2;
            offset += 1 + length;
        }
        return offset;
    }
}
