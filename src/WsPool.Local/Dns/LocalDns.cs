using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Local.Tools;
using WsPool.Operator.Runtime;

namespace WsPool.Local.Dns;

/// <summary>
/// Local mode's cluster DNS: a dnsmasq on 127.0.0.1 whose answers follow the ready endpoints of every Service (see
/// <see cref="ServiceRecords"/> for which names and addresses). The managed HAProxy resolves its backend pods through
/// it (<c>server-template</c> + <c>resolvers</c>, the render option <c>ResolverAddress</c> = <see cref="Address"/>),
/// so pods that come and go reach the balancer without a reload, as in a cluster.
/// <para>
/// EndpointSlices are read with the operator's informer (list, then watch with bookmarks, a watchdog, and a relist
/// after an error or a 410), and every change rewrites one hosts file that dnsmasq re-reads by itself. Writes are
/// whole-file renames, so dnsmasq never reads half a file, and an unchanged record set writes nothing.
/// </para>
/// </summary>
public sealed class LocalDns : IAsyncDisposable
{
    private const string HostsFileName = "services";

    private readonly DnsmasqProcess _dnsmasq;
    private readonly Publisher _publisher;
    private readonly CancellationTokenSource _stop;
    private readonly Task _watching;
    private readonly Task _publishing;
    private readonly ILogger _logger;
    private int _disposed;

    private LocalDns(DnsmasqProcess dnsmasq, Publisher publisher, CancellationTokenSource stop, Task watching, Task publishing,
        ILogger logger)
    {
        _dnsmasq = dnsmasq;
        _publisher = publisher;
        _stop = stop;
        _watching = watching;
        _publishing = publishing;
        _logger = logger;
    }

    /// <summary>"127.0.0.1:PORT": what a resolver's <c>nameserver</c> line takes (HAProxy's, the render option).</summary>
    public string Address => $"127.0.0.1:{Port}";

    public int Port => _dnsmasq.Port;

    public IPEndPoint EndPoint => _dnsmasq.EndPoint;

    /// <summary>dnsmasq's process id (it is gone once <see cref="DisposeAsync"/> returns).</summary>
    public int ProcessId => _dnsmasq.ProcessId;

    /// <summary>dnsmasq's own log, in the state directory.</summary>
    public string LogFile => _dnsmasq.LogFile;

    /// <summary>The records last handed to dnsmasq (it serves them within moments: it re-reads on inotify).</summary>
    public ServiceRecords Records => _publisher.Published;

    /// <summary>Completes if dnsmasq exits: local mode has lost its DNS and should say so.</summary>
    public Task Exited => _dnsmasq.Exited;

    /// <summary>
    /// Lists the EndpointSlices, publishes their records, starts dnsmasq and returns once it answers with them; the
    /// watch then keeps the answers current until <see cref="DisposeAsync"/>. Throws <see cref="IOException"/> naming
    /// the port when <see cref="LocalDnsOptions.Port"/> is taken, <see cref="TimeoutException"/> when the API does not
    /// list the slices within <see cref="LocalDnsOptions.SyncTimeout"/>. <paramref name="cancellationToken"/> cancels the
    /// start-up only; once started, local DNS runs until <see cref="DisposeAsync"/>.
    /// </summary>
    public static async Task<LocalDns> StartAsync(IKubernetes client, LocalDnsOptions options, ILogger logger,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(options), $"DNS port {options.Port} is not 0-65535");
        if (options.TtlSeconds < 0) throw new ArgumentOutOfRangeException(nameof(options), "the TTL cannot be negative");
        // Fails before anything starts when the cluster domain is not a DNS name.
        ServiceRecords.From([], options.ClusterDomain);
        var dnsmasqPath = options.DnsmasqPath ?? LocalTools.Require(LocalTools.Dnsmasq);

        var state = Path.GetFullPath(options.StateDirectory);
        var hostsDirectory = Path.Combine(state, "hosts.d");
        Directory.CreateDirectory(hostsDirectory);
        // A previous run's records must not be served for a moment: this directory is ours alone.
        foreach (var stale in Directory.EnumerateFiles(hostsDirectory)) File.Delete(stale);

        var slices = new Store<V1EndpointSlice>(indexKey: _ => null);
        var publisher = new Publisher(slices, options.ClusterDomain, Path.Combine(hostsDirectory, HostsFileName),
            Path.Combine(state, HostsFileName + ".next"), logger);
        var informer = new Informer<V1EndpointSlice>(SliceSource(client), slices, options.Watch, TimeProvider.System, logger);
        informer.AddHandler((_, _, _) => publisher.Changed());

        // The watch lives until DisposeAsync, not as long as the caller's token: that one only bounds the start-up.
        var stop = new CancellationTokenSource();
        var watching = Task.Run(() => informer.RunAsync(stop.Token), CancellationToken.None);
        Task? publishing = null;
        DnsmasqProcess? dnsmasq = null;
        try
        {
            try
            {
                await informer.Synced.WaitAsync(options.SyncTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"local DNS could not list EndpointSlices within {options.SyncTimeout.TotalSeconds:0.#}s " +
                                           "(is the API server up?)", e);
            }
            // Records first, dnsmasq second: its first answers are already the current ones.
            publisher.Publish();
            dnsmasq = await StartDnsmasqAsync(dnsmasqPath, options, hostsDirectory, state, logger, cancellationToken).ConfigureAwait(false);
            publishing = Task.Run(() => publisher.RunAsync(stop.Token), CancellationToken.None);
            logger.LogInformation("Local DNS on 127.0.0.1:{Port} (dnsmasq PID {Pid}) answers for {Names} names under {Domain}",
                dnsmasq.Port, dnsmasq.ProcessId, publisher.Published.ByName.Count, options.ClusterDomain);
            return new LocalDns(dnsmasq, publisher, stop, watching, publishing, logger);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Quietly(watching).ConfigureAwait(false);
            if (publishing is not null) await Quietly(publishing).ConfigureAwait(false);
            if (dnsmasq is not null) await dnsmasq.DisposeAsync().ConfigureAwait(false);
            stop.Dispose();
            throw;
        }
    }

    /// <summary>Every EndpointSlice that names its Service, in all namespaces (the selector is "the label exists").</summary>
    private static KubeListWatch<V1EndpointSlice, V1EndpointSliceList> SliceSource(IKubernetes client) =>
        new("endpointslices.discovery.k8s.io/v1 in all namespaces (local DNS)", null,
            q => client.DiscoveryV1.ListEndpointSliceForAllNamespacesWithHttpMessagesAsync(
                allowWatchBookmarks: q.AllowWatchBookmarks, continueParameter: q.Continue,
                labelSelector: ServiceRecords.ServiceNameLabel, limit: q.Limit, resourceVersion: q.ResourceVersion,
                timeoutSeconds: q.TimeoutSeconds, watch: q.WatchFlag, cancellationToken: q.CancellationToken),
            list => new(list.Items.ToList(), list.Metadata.ResourceVersion, list.Metadata.ContinueProperty));

    /// <summary>
    /// Starts dnsmasq on the port asked for; with port 0 on a free one, trying another if that one is taken between
    /// the choice and dnsmasq's bind.
    /// </summary>
    private static async Task<DnsmasqProcess> StartDnsmasqAsync(string dnsmasq, LocalDnsOptions options, string hostsDirectory,
        string state, ILogger logger, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port != 0 ? options.Port : FreeUdpAndTcpPort();
            try
            {
                return await DnsmasqProcess.StartAsync(dnsmasq, port, hostsDirectory, state, options.TtlSeconds, options.StartTimeout,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (options.Port == 0 && attempt < 5)
            {
                logger.LogDebug("Free port {Port} was taken before dnsmasq bound it ({Error}); trying another", port, e.Message);
            }
        }
    }

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 at the time of the call (DNS serves both).</summary>
    private static int FreeUdpAndTcpPort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP: try another.
            }
        }
        throw new IOException("no port on 127.0.0.1 is free for both UDP and TCP");
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops watching and kills dnsmasq; returns once its process is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { _watching, _publishing })
        {
            try
            {
                await Quietly(task).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Local DNS's watch ended with an error while stopping");
            }
        }
        await _dnsmasq.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _logger.LogInformation("Local DNS on 127.0.0.1:{Port} stopped (dnsmasq PID {Pid} exited)", Port, ProcessId);
    }

    /// <summary>
    /// Turns the slice cache into the hosts file dnsmasq reads. Changes only raise a flag; one loop rewrites the file
    /// from the whole cache, so a burst of slice events (a scale-out of fifty pods) costs a few writes, not fifty.
    /// </summary>
    private sealed class Publisher(Store<V1EndpointSlice> slices, string clusterDomain, string hostsFile, string staging, ILogger logger)
    {
        private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        private string? _text;
        private volatile ServiceRecords _published = ServiceRecords.Empty;

        public ServiceRecords Published => _published;

        public void Changed() => _changed.Writer.TryWrite(true);

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            await foreach (var _ in _changed.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    Publish();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning("Local DNS could not write {File} ({Error}); retrying in 1s", hostsFile, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                    Changed();
                }
            }
        }

        /// <summary>Writes the records of the cached slices, unless they are what dnsmasq already has.</summary>
        public void Publish()
        {
            var records = ServiceRecords.From(slices.List(), clusterDomain);
            var text = records.ToHostsFile();
            if (text == _text) return;
            File.WriteAllText(staging, text);
            // A rename: dnsmasq sees the whole new file (inotify IN_MOVED_TO) and drops the old file's records.
            File.Move(staging, hostsFile, overwrite: true);
            _text = text;
            _published = records;
            logger.LogDebug("Local DNS publishes {Records}", records);
        }
    }
}
