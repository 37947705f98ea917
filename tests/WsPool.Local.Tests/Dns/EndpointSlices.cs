using k8s.Models;
using WsPool.Local.Dns;

namespace WsPool.Local.Tests.Dns;

/// <summary>One endpoint of a slice as the EndpointSlice controller reports it (null conditions: unset).</summary>
public sealed record Endpoint(string Address, bool? Ready = true, bool? Terminating = null, string? Hostname = null);

/// <summary>EndpointSlices as the EndpointSlice controller writes them: labelled with their Service's name.</summary>
public static class EndpointSlices
{
    public static V1EndpointSlice Of(string ns, string service, string name, params Endpoint[] endpoints) =>
        Of(ns, service, name, "IPv4", endpoints);

    public static V1EndpointSlice Of(string ns, string service, string name, string addressType, params Endpoint[] endpoints) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string>
            {
                [ServiceRecords.ServiceNameLabel] = service,
                ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
            },
        },
        AddressType = addressType,
        Ports = [new Discoveryv1EndpointPort { Name = "ws", Port = 8080, Protocol = "TCP" }],
        Endpoints = endpoints.Select(e => new V1Endpoint
        {
            Addresses = [e.Address],
            Hostname = e.Hostname,
            Conditions = new V1EndpointConditions { Ready = e.Ready, Serving = e.Ready, Terminating = e.Terminating },
        }).ToList(),
    };
}
