using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Local.Dns;

/// <summary>
/// The cluster DNS's answers for Services, computed from their EndpointSlices as the Kubernetes DNS specification
/// gives them for a headless Service: <c>&lt;service&gt;.&lt;namespace&gt;.svc.&lt;domain&gt;</c> has one A (or AAAA)
/// record per ready endpoint address, and an endpoint with a <c>hostname</c> also gets
/// <c>&lt;hostname&gt;.&lt;service&gt;.&lt;namespace&gt;.svc.&lt;domain&gt;</c>. Each name is also published in its short
/// form ending in <c>.svc</c>, which a pod reaches through its resolv.conf search path in a cluster; dnsmasq has no
/// search path, so the short form is a record of its own.
/// <para>
/// An endpoint counts when its <c>ready</c> condition is true or unset (the API says to read unset as ready) and it is
/// not <c>terminating</c>: the records a real cluster DNS serves for a Service with publishNotReadyAddresses false.
/// (With publishNotReadyAddresses true the EndpointSlice controller itself reports every endpoint ready, so the rule
/// needs no Service.) A name with no ready endpoint has no record, so it gets NXDOMAIN.
/// </para>
/// <para>
/// Services with a ClusterIP get the same records: local mode runs no kube-proxy, so there are no virtual IPs to
/// answer with, and the ready endpoints are where a ClusterIP would lead. Only Services are answered: names come from
/// the slices' <c>kubernetes.io/service-name</c> label, which the EndpointSlice controller sets.
/// </para>
/// Every name part and address is allow-listed (DNS labels, parsed IP addresses), since they are written into a hosts
/// file; a slice that fails is left out rather than written.
/// </summary>
public sealed class ServiceRecords
{
    /// <summary>The label the EndpointSlice controller puts on each slice: the name of its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private static readonly Regex Label = new(Grammars.Dns1123LabelPattern, RegexOptions.CultureInvariant);
    private static readonly Regex Subdomain = new(Grammars.Dns1123SubdomainPattern, RegexOptions.CultureInvariant);

    private ServiceRecords(IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> byName) => ByName = byName;

    /// <summary>Every published fully qualified name and its addresses, sorted (IPv4 before IPv6, then by value).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> ByName { get; }

    /// <summary>The addresses a name resolves to; empty when it is not published (NXDOMAIN).</summary>
    public IReadOnlyList<IPAddress> AddressesOf(string name) =>
        ByName.TryGetValue(name.TrimEnd('.'), out var addresses) ? addresses : [];

    /// <summary>No names: every question gets NXDOMAIN.</summary>
    public static ServiceRecords Empty { get; } = new(new Dictionary<string, IReadOnlyList<IPAddress>>(StringComparer.Ordinal));

    /// <summary>The records of every Service the slices belong to, under <paramref name="clusterDomain"/> (e.g. cluster.local).</summary>
    public static ServiceRecords From(IEnumerable<V1EndpointSlice> slices, string clusterDomain)
    {
        if (!IsDomain(clusterDomain)) throw new ArgumentException($"'{clusterDomain}' is not a DNS domain", nameof(clusterDomain));
        var names = new SortedDictionary<string, SortedSet<IPAddress>>(StringComparer.Ordinal);
        void Add(string name, IPAddress address)
        {
            if (!names.TryGetValue(name, out var set)) names[name] = set = new SortedSet<IPAddress>(AddressOrder.Instance);
            set.Add(address);
        }

        foreach (var slice in slices)
        {
            var ns = slice.Metadata?.NamespaceProperty;
            string? service = null;
            if (slice.Metadata?.Labels?.TryGetValue(ServiceNameLabel, out service) != true) continue;
            if (!IsLabel(ns) || !IsLabel(service)) continue;
            var family = slice.AddressType switch
            {
                "IPv4" => AddressFamily.InterNetwork,
                "IPv6" => AddressFamily.InterNetworkV6,
                _ => (AddressFamily?)null, // FQDN slices name no address to answer with
            };
            if (family is null) continue;
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Conditions?.Ready == false || endpoint.Conditions?.Terminating == true) continue;
                foreach (var text in endpoint.Addresses ?? [])
                {
                    if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != family) continue;
                    if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) continue;
                    foreach (var suffix in Suffixes(service!, ns!, clusterDomain)) Add(suffix, address);
                    if (IsLabel(endpoint.Hostname))
                        foreach (var suffix in Suffixes(service!, ns!, clusterDomain)) Add($"{endpoint.Hostname}.{suffix}", address);
                }
            }
        }
        return new ServiceRecords(names.ToDictionary(
            pair => pair.Key, pair => (IReadOnlyList<IPAddress>)pair.Value.ToList(), StringComparer.Ordinal));
    }

    /// <summary>
    /// The records as a hosts file (one line per address and name set), in a stable order so the same endpoints always
    /// give the same bytes and an unchanged set need not be written again.
    /// </summary>
    public string ToHostsFile()
    {
        var text = new StringBuilder();
        text.Append("# Written by wspool local: the ready endpoints of each Service (do not edit).\n");
        foreach (var (name, addresses) in ByName.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            foreach (var address in addresses)
                text.Append(address.ToString()).Append(' ').Append(name).Append('\n');
        return text.ToString();
    }

    private static IEnumerable<string> Suffixes(string service, string ns, string clusterDomain) =>
        [$"{service}.{ns}.svc.{clusterDomain}", $"{service}.{ns}.svc"];

    private static bool IsLabel(string? value) =>
        value is { Length: > 0 and <= 63 } && !value.Contains('\n') && Label.IsMatch(value);

    private static bool IsDomain(string? value) =>
        value is { Length: > 0 and <= 253 } && !value.Contains('\n') && Subdomain.IsMatch(value)
        && value.Split('.').All(part => part.Length <= 63);

    /// <summary>IPv4 before IPv6, then numerically by bytes, so records read in a natural order.</summary>
    private sealed class AddressOrder : IComparer<IPAddress>
    {
        public static readonly AddressOrder Instance = new();

        public int Compare(IPAddress? x, IPAddress? y)
        {
            if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
            var bytesX = x.GetAddressBytes();
            var bytesY = y.GetAddressBytes();
            if (bytesX.Length != bytesY.Length) return bytesX.Length.CompareTo(bytesY.Length);
            for (var i = 0; i < bytesX.Length; i++)
                if (bytesX[i] != bytesY[i]) return bytesX[i].CompareTo(bytesY[i]);
            return 0;
        }
    }

    /// <summary>For logs and failure messages: every name and its addresses.</summary>
    public override string ToString() =>
        ByName.Count == 0 ? "no names" : string.Join("; ", ByName.Select(pair => $"{pair.Key} → {string.Join(", ", pair.Value)}"));
}
