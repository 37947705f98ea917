using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// The EndpointSlice controller (only while workloads are simulated), as the EndpointSlice documentation describes
/// it: every Service with a selector, headless ones included, gets discovery.k8s.io/v1 slices labelled
/// <c>kubernetes.io/service-name</c> and <c>endpointslice.kubernetes.io/managed-by</c> (plus the Service's own
/// labels), controlled by the Service, with one endpoint per matching pod that has an IP and has not finished.
/// <c>serving</c> is the pod's Ready condition, <c>terminating</c> whether it is being deleted, and <c>ready</c> is
/// serving and not terminating (or always, with publishNotReadyAddresses). Ports are the Service's, each target port
/// resolved against the pod's containers (a named port the pod lacks is left out for that pod), so pods with
/// different ports land in different slices; at most 100 endpoints per slice. A Service without a selector keeps
/// slices someone else wrote.
/// </summary>
public sealed class EndpointSliceController : SwitchableController<EndpointSliceController.Work>
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string ManagedBy = "endpointslice-controller.k8s.io";
    public const int MaxEndpointsPerSlice = 100;

    private readonly ObjectRegistry _registry;
    private readonly WorkloadSettings _workloads;

    /// <summary>A Service to sync, or (Service null) the Services of a namespace that select a pod's old or new labels.</summary>
    public sealed record Work(string Namespace, string? Service, IReadOnlyDictionary<string, string>? PodLabels = null,
        IReadOnlyDictionary<string, string>? PodLabelsBefore = null);

    internal EndpointSliceController(ObjectRegistry registry, WorkloadSettings workloads, ControllerActivity? activity = null)
        : base(registry, BuiltInResources.Services, true, activity)
    {
        _registry = registry;
        _workloads = workloads;
        registry.Store.Committed += OnCommitted;
    }

    private protected override Work WorkFor(string ns, string name) => new(ns, name);

    private void OnCommitted(StoreChange change)
    {
        if (!Enabled || !_workloads.Simulated) return;
        var o = change.After;
        var resource = o.Type.GroupResource;
        if (resource == BuiltInResources.Services.GroupResource)
            Enqueue(new Work(o.Namespace, o.Name));
        else if (resource == BuiltInResources.Pods.GroupResource)
            Enqueue(new Work(o.Namespace, null, o.Labels, change.Before?.Labels));
        else if (resource == BuiltInResources.EndpointSlices.GroupResource
                 && o.Labels.TryGetValue(ManagedByLabel, out var manager) && manager == ManagedBy
                 && o.Labels.TryGetValue(ServiceNameLabel, out var service))
            Enqueue(new Work(o.Namespace, service)); // someone edited or deleted a managed slice: restore it
    }

    protected override Task HandleAsync(Work work, CancellationToken stopping)
    {
        if (!Enabled || !_workloads.Simulated) return Task.CompletedTask;
        var store = _registry.Store;
        lock (store.Sync)
        {
            if (work.Service is not null)
            {
                Sync(work.Namespace, work.Service);
                return Task.CompletedTask;
            }
            foreach (var service in store.ListUnlocked(BuiltInResources.Services.GroupResource, work.Namespace).ToList())
            {
                var selector = Selector(service.ToJsonObject());
                if (selector.Count > 0 && (Selects(selector, work.PodLabels) || Selects(selector, work.PodLabelsBefore)))
                    Sync(service.Namespace, service.Name);
            }
        }
        return Task.CompletedTask;
    }

    private void Sync(string ns, string name)
    {
        var store = _registry.Store;
        var managed = store.ListUnlocked(BuiltInResources.EndpointSlices.GroupResource, ns)
            .Where(s => s.Labels.TryGetValue(ServiceNameLabel, out var n) && n == name
                        && s.Labels.TryGetValue(ManagedByLabel, out var m) && m == ManagedBy)
            .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        if (store.GetUnlocked(BuiltInResources.Services.GroupResource, ns, name) is not { IsDeleting: false } service)
            return; // the garbage collector removes the slices with their Service
        var json = service.ToJsonObject();
        var selector = Selector(json);
        if (selector.Count == 0)
        {
            foreach (var slice in managed) _registry.DeleteUnlocked(slice, new DeleteRequest());
            return;
        }
        var desired = DesiredSlices(service, json, selector);
        for (var i = 0; i < desired.Count; i++)
        {
            if (i < managed.Count)
            {
                var candidate = managed[i].ToJsonObject();
                foreach (var field in new[] { "addressType", "endpoints", "ports" }) candidate[field] = desired[i][field]?.DeepClone();
                candidate.Metadata()["labels"] = desired[i]["metadata"]?["labels"]?.DeepClone();
                candidate.Metadata()["ownerReferences"] = desired[i]["metadata"]?["ownerReferences"]?.DeepClone();
                _registry.CommitUpdate(BuiltInResources.EndpointSlices, managed[i], candidate, null, Writer(), apply: false);
            }
            else
            {
                _registry.Create(BuiltInResources.EndpointSlices, ns, desired[i], Writer());
            }
        }
        foreach (var extra in managed.Skip(desired.Count)) _registry.DeleteUnlocked(extra, new DeleteRequest());
    }

    /// <summary>The slices the Service should have: endpoints grouped by their resolved ports, 100 per slice; one empty slice when no pod matches.</summary>
    private List<JsonObject> DesiredSlices(StoredObject service, JsonObject json, IReadOnlyDictionary<string, string> selector)
    {
        var publishNotReady = json["spec"]?["publishNotReadyAddresses"] is JsonValue p && p.TryGetValue<bool>(out var publish) && publish;
        var servicePorts = (json["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var groups = new SortedDictionary<string, (JsonArray Ports, List<JsonObject> Endpoints)>(StringComparer.Ordinal);
        var pods = _registry.Store.ListUnlocked(BuiltInResources.Pods.GroupResource, service.Namespace)
            .Where(p => Selects(selector, p.Labels))
            .OrderBy(p => p.Name, StringComparer.Ordinal);
        foreach (var stored in pods)
        {
            var pod = stored.ToJsonObject();
            if (string.IsNullOrEmpty(PodState.PodIp(pod)) || PodState.IsFinished(pod)) continue;
            var ports = Ports(servicePorts, pod);
            var key = JsonUtil.ToJson(ports);
            if (!groups.TryGetValue(key, out var group)) groups[key] = group = (ports, []);
            group.Endpoints.Add(Endpoint(service, stored, pod, publishNotReady));
        }
        var slices = new List<JsonObject>();
        foreach (var (ports, endpoints) in groups.Values)
            foreach (var chunk in endpoints.Chunk(MaxEndpointsPerSlice))
                slices.Add(Slice(service, json, ports, chunk));
        if (slices.Count == 0) slices.Add(Slice(service, json, [], []));
        return slices;
    }

    private static JsonArray Ports(List<JsonObject> servicePorts, JsonObject pod)
    {
        var ports = new JsonArray();
        foreach (var servicePort in servicePorts)
        {
            var protocol = servicePort.Str("protocol") ?? "TCP";
            var target = servicePort["targetPort"] ?? servicePort["port"];
            long? number = target is JsonValue v ? JsonUtil.AsLong(v) : null;
            if (number is null && JsonUtil.ScalarText(target) is { } portName)
                number = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>()
                    .SelectMany(c => c["ports"] as JsonArray ?? []).OfType<JsonObject>()
                    .FirstOrDefault(cp => cp.Str("name") == portName && (cp.Str("protocol") ?? "TCP") == protocol)?.Long("containerPort");
            if (number is null) continue;
            var port = new JsonObject { ["name"] = servicePort.Str("name") ?? "", ["port"] = number.Value, ["protocol"] = protocol };
            if (servicePort.Str("appProtocol") is { } appProtocol) port["appProtocol"] = appProtocol;
            ports.Add(port);
        }
        return ports;
    }

    private static JsonObject Endpoint(StoredObject service, StoredObject stored, JsonObject pod, bool publishNotReady)
    {
        var serving = PodState.IsReady(pod);
        var terminating = PodState.IsTerminating(pod);
        var endpoint = new JsonObject
        {
            ["addresses"] = new JsonArray(PodState.PodIp(pod)),
            ["conditions"] = new JsonObject
            {
                ["ready"] = publishNotReady || (serving && !terminating),
                ["serving"] = serving,
                ["terminating"] = terminating,
            },
        };
        // A pod that names the Service as its subdomain gets a DNS name of its own (headless Services).
        if (pod["spec"].Str("hostname") is { Length: > 0 } hostname && pod["spec"].Str("subdomain") == service.Name)
            endpoint["hostname"] = hostname;
        endpoint["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = stored.Namespace, ["name"] = stored.Name, ["uid"] = stored.Uid };
        if (PodState.NodeName(pod) is { Length: > 0 } node) endpoint["nodeName"] = node;
        return endpoint;
    }

    private static JsonObject Slice(StoredObject service, JsonObject json, JsonArray ports, IEnumerable<JsonObject> endpoints)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in JsonUtil.StringMap(json["metadata"]?["labels"]))
            if (key is not (ServiceNameLabel or ManagedByLabel)) labels[key] = value;
        labels[ServiceNameLabel] = service.Name;
        labels[ManagedByLabel] = ManagedBy;
        if (json["spec"].Str("clusterIP") == "None") labels["service.kubernetes.io/headless"] = "";
        return new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["kind"] = "EndpointSlice",
            ["metadata"] = new JsonObject
            {
                ["generateName"] = service.Name + "-",
                ["namespace"] = service.Namespace,
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(Ownership.ControllerReference(BuiltInResources.Services, service)),
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray(endpoints.Select(e => (JsonNode)e.DeepClone()).ToArray()),
            ["ports"] = ports.DeepClone(),
        };
    }

    private static IReadOnlyDictionary<string, string> Selector(JsonObject service) => JsonUtil.StringMap(service["spec"]?["selector"]);

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    private static WriteOptions Writer() => WriteOptions.Internal(ObjectRegistry.ControllerManager);
}
