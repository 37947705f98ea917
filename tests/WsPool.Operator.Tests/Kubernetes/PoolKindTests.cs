using k8s.Models;
using WsPool.Core.Api;
using WsPool.Operator.Kubernetes;

namespace WsPool.Operator.Tests.Kubernetes;

/// <summary>What the pool cache keeps of a WebSocketPool.</summary>
public sealed class PoolKindTests
{
    [Fact]
    public void The_cache_drops_managed_fields_and_kubectls_last_applied_copy_and_keeps_the_rest()
    {
        var pools = new PoolKind();
        var pool = new WebSocketPool
        {
            Metadata = new V1ObjectMeta
            {
                Name = "chat",
                NamespaceProperty = "chat",
                Annotations = new Dictionary<string, string>
                {
                    [PoolKind.LastAppliedAnnotation] = "{\"apiVersion\":\"wspool.dev/v1alpha1\"}",
                    ["team"] = "realtime",
                },
                ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl-client-side-apply", Operation = "Update" }],
            },
        };

        pools.Store.Upsert(pool, out _);

        var cached = pools.Store.Get("chat", "chat")!;
        cached.Metadata.ManagedFields.Should().BeNull();
        cached.Metadata.Annotations.Should().Equal(new Dictionary<string, string> { ["team"] = "realtime" });
        cached.Spec.Should().NotBeNull();
    }

    [Fact]
    public void A_status_field_the_new_status_drops_is_written_as_null_so_the_merge_patch_removes_it()
    {
        var current = new WebSocketPoolStatus { Rollout = new RolloutStatus { Phase = "Draining" }, Connections = new ConnectionsStatus { Total = 3 } };
        var next = new WebSocketPoolStatus { ReadyReplicas = 2 };

        var patch = System.Text.Json.Nodes.JsonNode.Parse(PoolKind.StatusMergePatch(current, next))!["status"]!.AsObject();

        patch.Should().ContainKey("rollout").WhoseValue.Should().BeNull();
        patch.Should().ContainKey("connections").WhoseValue.Should().BeNull();
        patch["readyReplicas"]!.GetValue<int>().Should().Be(2);
    }
}
