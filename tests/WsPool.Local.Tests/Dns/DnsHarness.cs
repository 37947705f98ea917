using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using WsPool.KubeEmulator;
using WsPool.Local.Dns;

namespace WsPool.Local.Tests.Dns;

/// <summary>
/// An API emulator in this process and a LocalDns watching it, with its own state directory. Tests write
/// EndpointSlices through the real client and ask the real dnsmasq with real DNS questions.
/// </summary>
public sealed class DnsHarness : IAsyncDisposable
{
    private DnsHarness(KubeApiEmulator api, Kubernetes client, string state)
    {
        Api = api;
        Client = client;
        StateDirectory = state;
    }

    public KubeApiEmulator Api { get; }
    public Kubernetes Client { get; }
    public string StateDirectory { get; }
    public LocalDns? Dns { get; private set; }

    /// <summary>An emulator alone; <see cref="StartDnsAsync"/> adds the DNS (so a test can write slices first).</summary>
    public static async Task<DnsHarness> CreateAsync()
    {
        var api = await KubeApiEmulator.StartAsync(new EmulatorOptions());
        return new DnsHarness(api, api.CreateClient("local-dns-tests/1.0"), Directory.CreateTempSubdirectory("wspool-dns-").FullName);
    }

    public static async Task<DnsHarness> StartAsync(Func<LocalDnsOptions, LocalDnsOptions>? configure = null)
    {
        var harness = await CreateAsync();
        try
        {
            await harness.StartDnsAsync(configure);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public async Task<LocalDns> StartDnsAsync(Func<LocalDnsOptions, LocalDnsOptions>? configure = null,
        CancellationToken cancellationToken = default)
    {
        var options = new LocalDnsOptions { StateDirectory = StateDirectory };
        Dns = await LocalDns.StartAsync(Client, configure?.Invoke(options) ?? options, NullLogger.Instance, cancellationToken);
        return Dns;
    }

    public Task<DnsAnswer> AskAsync(string name) => DnsQuery.AskAsync(Dns!.EndPoint, name, TimeSpan.FromSeconds(2));

    /// <summary>Waits until <paramref name="name"/> resolves to exactly these addresses (none: NXDOMAIN).</summary>
    public Task<DnsAnswer> WaitForAsync(string name, params string[] addresses) =>
        Eventually.ValueAsync(() => AskAsync(name),
            answer => addresses.Length == 0
                ? answer.IsNameError
                : answer.Code == DnsResponseCode.NoError && answer.Addresses.Select(a => a.ToString()).Order().SequenceEqual(addresses.Order()),
            addresses.Length == 0 ? $"{name} to get NXDOMAIN" : $"{name} to resolve to exactly [{string.Join(", ", addresses)}]");

    public async Task CreateNamespaceAsync(string name) =>
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });

    public Task<V1EndpointSlice> CreateAsync(V1EndpointSlice slice) =>
        Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(slice, slice.Metadata.NamespaceProperty);

    /// <summary>An unconditional PUT (no resourceVersion), as a controller that owns the slice would write it.</summary>
    public Task<V1EndpointSlice> ReplaceAsync(V1EndpointSlice slice) =>
        Client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(slice, slice.Metadata.Name, slice.Metadata.NamespaceProperty);

    public Task DeleteAsync(V1EndpointSlice slice) =>
        Client.DiscoveryV1.DeleteNamespacedEndpointSliceAsync(slice.Metadata.Name, slice.Metadata.NamespaceProperty);

    public async ValueTask DisposeAsync()
    {
        if (Dns is not null) await Dns.DisposeAsync();
        Client.Dispose();
        await Api.DisposeAsync();
        try { Directory.Delete(StateDirectory, recursive: true); }
        catch (IOException) { }
    }
}
