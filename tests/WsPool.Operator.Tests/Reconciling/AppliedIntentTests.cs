using System.Text;
using k8s;
using k8s.Models;
using WsPool.Operator.Kubernetes;

namespace WsPool.Operator.Tests.Reconciling;

public sealed class AppliedIntentTests
{
    private static V1Service Intent(int port = 80)
    {
        var svc = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = "chat", Labels = new Dictionary<string, string> { ["a"] = "b" } },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "ws", Port = port }], Selector = new Dictionary<string, string> { ["app"] = "chat" } },
        };
        AppliedIntent.Stamp(svc);
        return svc;
    }

    /// <summary>The object as the API server returns it: the intent plus defaults and bookkeeping.</summary>
    private static V1Service Live(V1Service intent)
    {
        var live = KubernetesJson.Deserialize<V1Service>(KubernetesJson.Serialize(intent));
        live.Metadata.ResourceVersion = "42";
        live.Metadata.Uid = "u-1";
        live.Metadata.Annotations!["kubectl.kubernetes.io/last-applied-configuration"] = "{}";
        live.Spec.ClusterIP = "10.0.0.7";
        live.Spec.Type = "ClusterIP";
        live.Spec.Ports[0].Protocol = "TCP";
        live.Spec.Ports[0].TargetPort = 80;
        return live;
    }

    [Fact]
    public void An_object_carrying_the_intent_plus_server_defaults_needs_no_apply() =>
        AppliedIntent.IsSatisfiedBy(Intent(), Live(Intent())).Should().BeTrue();

    [Fact]
    public void A_missing_object_needs_an_apply() => AppliedIntent.IsSatisfiedBy(Intent(), null).Should().BeFalse();

    [Fact]
    public void A_changed_intent_needs_an_apply_even_when_the_live_object_still_has_every_old_field() =>
        AppliedIntent.IsSatisfiedBy(Intent(port: 81), Live(Intent(port: 80))).Should().BeFalse();

    [Fact]
    public void A_managed_field_edited_by_someone_else_is_drift()
    {
        var live = Live(Intent());
        live.Spec.Selector["app"] = "hijacked";
        AppliedIntent.IsSatisfiedBy(Intent(), live).Should().BeFalse();
    }

    [Fact]
    public void A_list_item_removed_by_someone_else_is_drift()
    {
        var live = Live(Intent());
        live.Spec.Ports.Clear();
        AppliedIntent.IsSatisfiedBy(Intent(), live).Should().BeFalse();
    }

    [Fact]
    public void An_empty_list_the_server_dropped_does_not_hide_drift_in_later_fields()
    {
        var intent = Intent();
        intent.Spec.ExternalIPs = [];
        AppliedIntent.Stamp(intent);
        var live = Live(intent);
        live.Spec.ExternalIPs = null;
        live.Spec.Selector["app"] = "hijacked";

        AppliedIntent.IsSatisfiedBy(intent, live).Should().BeFalse();
    }

    [Fact]
    public void An_empty_list_the_server_dropped_is_not_drift()
    {
        var intent = Intent();
        intent.Spec.ExternalIPs = [];
        AppliedIntent.Stamp(intent);
        var live = Live(intent);
        live.Spec.ExternalIPs = null;

        AppliedIntent.IsSatisfiedBy(intent, live).Should().BeTrue();
    }

    [Fact]
    public void Fields_other_managers_added_are_not_drift()
    {
        var live = Live(Intent());
        live.Metadata.Labels["team"] = "payments";
        live.Spec.ExternalTrafficPolicy = "Local";
        AppliedIntent.IsSatisfiedBy(Intent(), live).Should().BeTrue();
    }

    [Fact]
    public void The_stamp_is_the_same_for_the_same_intent_and_differs_for_another()
    {
        AppliedIntent.Stamp(Intent()).Should().Be(AppliedIntent.Stamp(Intent()));
        AppliedIntent.Stamp(Intent(1)).Should().NotBe(AppliedIntent.Stamp(Intent(2)));
    }

    [Fact]
    public void A_secret_written_as_stringData_matches_the_data_the_server_stores()
    {
        var intent = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = "n" },
            StringData = new Dictionary<string, string> { ["password"] = "hunter2" },
        };
        AppliedIntent.Stamp(intent);
        // An edit reaches the cache as a new object (cached objects are never mutated), so each check gets its own.
        V1Secret Live(string password) => new()
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = "n", Annotations = new Dictionary<string, string>(intent.Metadata.Annotations) },
            Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes(password) },
            Type = "Opaque",
        };
        AppliedIntent.IsSatisfiedBy(intent, Live("hunter2")).Should().BeTrue();
        AppliedIntent.IsSatisfiedBy(intent, Live("rotated")).Should().BeFalse();
    }
}
