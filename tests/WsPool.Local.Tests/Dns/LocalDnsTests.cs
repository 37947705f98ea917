using System.Net;
using System.Net.Sockets;
using WsPool.KubeEmulator.Faults;
using WsPool.Local.Dns;
using WsPool.Operator.Runtime;

namespace WsPool.Local.Tests.Dns;

/// <summary>
/// LocalDns against the API emulator and the real dnsmasq: the answers follow the EndpointSlices' ready endpoints.
/// </summary>
public sealed class LocalDnsTests
{
    private const string Web = "web.default.svc.cluster.local";

    [Fact]
    public async Task A_ready_endpoint_is_answered_with_a_one_second_ttl_under_both_names()
    {
        await using var h = await DnsHarness.StartAsync();

        await h.CreateAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.2")));

        (await h.WaitForAsync(Web, "127.0.0.2")).MinimumTtl.Should().Be(1);
        await h.WaitForAsync("web.default.svc", "127.0.0.2");
    }

    [Fact]
    public async Task A_not_ready_endpoint_is_not_answered()
    {
        await using var h = await DnsHarness.StartAsync();

        await h.CreateAsync(EndpointSlices.Of("default", "web", "web-1",
            new Endpoint("127.0.0.2"), new Endpoint("127.0.0.3", Ready: false), new Endpoint("127.0.0.4", Terminating: true)));

        await h.WaitForAsync(Web, "127.0.0.2");
        h.Dns!.Records.AddressesOf(Web).Select(a => a.ToString()).Should().Equal("127.0.0.2");
    }

    [Fact]
    public async Task An_added_endpoint_appears_and_a_removed_one_disappears()
    {
        await using var h = await DnsHarness.StartAsync();
        await h.CreateAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.2")));
        await h.WaitForAsync(Web, "127.0.0.2");

        await h.ReplaceAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.2"), new Endpoint("127.0.0.3")));
        await h.WaitForAsync(Web, "127.0.0.2", "127.0.0.3");

        await h.ReplaceAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.3")));
        await h.WaitForAsync(Web, "127.0.0.3");
    }

    [Fact]
    public async Task An_endpoint_that_stops_being_ready_disappears()
    {
        await using var h = await DnsHarness.StartAsync();
        await h.CreateAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.2"), new Endpoint("127.0.0.3")));
        await h.WaitForAsync(Web, "127.0.0.2", "127.0.0.3");

        await h.ReplaceAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.2"), new Endpoint("127.0.0.3", Ready: false)));

        await h.WaitForAsync(Web, "127.0.0.2");
    }

    [Fact]
    public async Task A_deleted_slice_takes_its_service_name_away()
    {
        await using var h = await DnsHarness.StartAsync();
        var slice = await h.CreateAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.2")));
        await h.WaitForAsync(Web, "127.0.0.2");

        await h.DeleteAsync(slice);

        await h.WaitForAsync(Web);
    }

    [Fact]
    public async Task Unknown_names_get_NXDOMAIN_inside_and_outside_the_cluster_domain()
    {
        await using var h = await DnsHarness.StartAsync();
        await h.CreateAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.2")));
        await h.WaitForAsync(Web, "127.0.0.2");

        (await h.AskAsync("nope.default.svc.cluster.local")).Code.Should().Be(DnsResponseCode.NameError);
        // Nothing is forwarded to an upstream server: a name outside the cluster does not exist either.
        (await h.AskAsync("example.com")).Code.Should().Be(DnsResponseCode.NameError);
    }

    [Fact]
    public async Task Slices_that_exist_before_start_are_answered_as_soon_as_start_returns()
    {
        await using var h = await DnsHarness.CreateAsync();
        await h.CreateNamespaceAsync("shop");
        await h.CreateAsync(EndpointSlices.Of("shop", "api", "api-1", new Endpoint("127.0.0.7")));

        await h.StartDnsAsync();

        // One question, no waiting: start-up publishes the records before dnsmasq starts.
        (await h.AskAsync("api.shop.svc.cluster.local")).ToString().Should().Be("NoError [127.0.0.7] ttl 1");
    }

    [Fact]
    public async Task Answers_keep_following_the_slices_when_watches_drop_and_expire()
    {
        await using var h = await DnsHarness.CreateAsync();
        // Every watch is cut within 300 ms, half of them answer 410 at once: the informer resumes and relists.
        h.Api.Faults.WatchDropAfterMax = TimeSpan.FromMilliseconds(300);
        h.Api.Faults.Add(FaultKind.DropWatch, 1.0, verbs: ["watch"], resources: ["endpointslices"]);
        h.Api.Faults.Add(FaultKind.WatchGone, 0.5, verbs: ["watch"], resources: ["endpointslices"]);
        await h.StartDnsAsync(o => o with
        {
            Watch = new InformerOptions { BackoffBase = TimeSpan.FromMilliseconds(20), BackoffMax = TimeSpan.FromMilliseconds(200) },
        });

        await h.CreateAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.2")));
        await h.WaitForAsync(Web, "127.0.0.2");
        await h.ReplaceAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.3")));
        await h.WaitForAsync(Web, "127.0.0.3");
        await h.CreateAsync(EndpointSlices.Of("default", "api", "api-1", new Endpoint("127.0.0.4")));

        await h.WaitForAsync("api.default.svc.cluster.local", "127.0.0.4");
        h.Api.Requests.All.Should().Contain(r => r.Fault != null && r.Resource == "endpointslices", "the faults were injected");
    }

    [Fact]
    public async Task The_start_up_token_bounds_the_start_only_and_cancelling_it_later_does_not_stop_the_answers()
    {
        await using var h = await DnsHarness.CreateAsync();
        using var startUp = new CancellationTokenSource();
        await h.StartDnsAsync(cancellationToken: startUp.Token);

        await startUp.CancelAsync();
        await h.CreateAsync(EndpointSlices.Of("default", "web", "web-1", new Endpoint("127.0.0.2")));

        await h.WaitForAsync(Web, "127.0.0.2");
    }

    [Fact]
    public async Task Dispose_stops_dnsmasq_and_leaves_no_process_behind()
    {
        await using var h = await DnsHarness.StartAsync();
        var dns = h.Dns!;
        var pid = dns.ProcessId;
        Directory.Exists($"/proc/{pid}").Should().BeTrue("dnsmasq runs while LocalDns does");

        await dns.DisposeAsync();

        Directory.Exists($"/proc/{pid}").Should().BeFalse($"dnsmasq (PID {pid}) is gone after dispose");
        ProcessesMentioning(h.StateDirectory).Should().BeEmpty("no dnsmasq serves this state directory any more");
        dns.Exited.IsCompleted.Should().BeTrue();
        var act = () => DnsQuery.AskAsync(dns.EndPoint, Web, TimeSpan.FromMilliseconds(500));
        await act.Should().ThrowAsync<TimeoutException>();
    }

    [Fact]
    public async Task A_port_in_use_is_an_error_that_names_the_port()
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
        await using var h = await DnsHarness.CreateAsync();

        var act = () => h.StartDnsAsync(o => o with { Port = port });

        (await act.Should().ThrowAsync<IOException>()).WithMessage($"*127.0.0.1:{port}*already in use*");
        ProcessesMentioning(h.StateDirectory).Should().BeEmpty("the dnsmasq that could not bind has exited");
    }

    [Fact]
    public async Task The_log_goes_to_the_state_directory()
    {
        await using var h = await DnsHarness.StartAsync();

        h.Dns!.LogFile.Should().StartWith(h.StateDirectory);
        await Eventually.ValueAsync(() => File.Exists(h.Dns.LogFile) ? File.ReadAllText(h.Dns.LogFile) : "",
            log => log.Contains("started, version"), "dnsmasq's start-up line in its log file");
    }

    /// <summary>Processes whose command line mentions <paramref name="text"/> (for a unique state directory: ours).</summary>
    private static IReadOnlyList<string> ProcessesMentioning(string text) =>
        Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d =>
            {
                try { return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); }
                catch (IOException) { return ""; }
                catch (UnauthorizedAccessException) { return ""; }
            })
            .Where(cmdline => cmdline.Contains(text, StringComparison.Ordinal))
            .ToList();
}
