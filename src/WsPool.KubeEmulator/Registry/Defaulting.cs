using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Registry;

/// <summary>
/// The few server-side defaults and allocations wspool can observe: a Service gets a cluster IP (kept on
/// update), a Pod starts in phase Pending, a Namespace gets the kubernetes finalizer and phase Active, a CRD is
/// accepted and Established at once.
/// Other kinds are stored as sent (no per-field defaulting of Deployments or pod templates).
/// </summary>
internal static class Defaulting
{
    private static int _nextClusterIp = 10;

    public static void OnCreate(ResourceType type, JsonObject obj, ObjectRegistry registry)
    {
        var gr = type.GroupResource;
        if (gr == BuiltInResources.Services.GroupResource)
        {
            var spec = obj.Obj("spec");
            spec["type"] ??= "ClusterIP";
            spec["sessionAffinity"] ??= "None";
            if (spec.Str("type") != "ExternalName" && string.IsNullOrEmpty(spec.Str("clusterIP")))
            {
                var n = Interlocked.Increment(ref _nextClusterIp);
                var ip = $"10.96.{(n >> 8) & 255}.{n & 255}";
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
            }
            if (spec["ports"] is JsonArray ports)
                foreach (var p in ports.OfType<JsonObject>())
                {
                    p["protocol"] ??= "TCP";
                    if (p["targetPort"] is null && p["port"] is { } port) p["targetPort"] = port.DeepClone();
                }
        }
        else if (gr == BuiltInResources.Pods.GroupResource)
        {
            // A new pod's status is the API server's: Pending until a kubelet reports otherwise.
            obj["status"] = new JsonObject { ["phase"] = "Pending" };
        }
        else if (gr == BuiltInResources.Namespaces.GroupResource)
        {
            obj.Obj("spec")["finalizers"] = new JsonArray("kubernetes");
            obj["status"] = new JsonObject { ["phase"] = "Active" };
            obj.Metadata().Obj("labels")["kubernetes.io/metadata.name"] = obj["metadata"].Str("name");
        }
        else if (gr == BuiltInResources.CustomResourceDefinitions.GroupResource)
        {
            obj["status"] = CrdRegistrar.AcceptedStatus(obj, KubeTime.Format(DateTimeOffset.UtcNow));
        }
    }

    public static void OnUpdate(ResourceType type, JsonObject old, JsonObject next)
    {
        if (type.GroupResource == BuiltInResources.Services.GroupResource && next["spec"] is JsonObject spec
            && string.IsNullOrEmpty(spec.Str("clusterIP")) && old["spec"] is JsonObject oldSpec)
        {
            if (oldSpec["clusterIP"] is { } ip) spec["clusterIP"] = ip.DeepClone();
            if (oldSpec["clusterIPs"] is { } ips) spec["clusterIPs"] = ips.DeepClone();
        }
    }
}
