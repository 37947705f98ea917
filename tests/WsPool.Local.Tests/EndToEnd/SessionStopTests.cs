using System.Net.Sockets;

namespace WsPool.Local.Tests.EndToEnd;

/// <summary>Stopping a session (Ctrl-C and `wspool local down` both dispose it) leaves no process and no port behind.</summary>
[Collection(LocalSessions.Name)]
public sealed class SessionStopTests
{
    [Fact]
    public async Task Stopping_a_session_ends_every_process_it_started_and_releases_every_port()
    {
        var state = Directory.CreateTempSubdirectory("wspool-local-stop-");
        try
        {
            var session = await LocalSessions.StartAsync("small-chat.yaml", state);
            var running = await Eventually.ValueAsync(() => session.Node.Pods,
                pods => pods.Count == 2 && pods.All(p => p.Ready), "the backend and balancer pods ready", TimeSpan.FromSeconds(90),
                pods => string.Join("; ", pods));
            var pids = running.SelectMany(p => p.Containers).Select(c => c.Pid!.Value).Append(session.Dns.ProcessId).ToList();
            var api = new Uri(session.Api.Url);
            var podPorts = running.Select(p => (p.IP!, 8080)).ToList();

            await session.DisposeAsync();

            pids.Where(pid => Directory.Exists($"/proc/{pid}")).Should().BeEmpty("every process the session started has exited");
            Refused(api.Host, api.Port).Should().BeTrue("the API port is released");
            podPorts.Where(p => !Refused(p.Item1, p.Item2)).Should().BeEmpty("every pod's port is released");
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    private static bool Refused(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(host, port);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
