using k8s.Models;
using WsPool.Operator.Kubernetes;

namespace WsPool.Operator.Tests.Kubernetes;

/// <summary>What the cache keeps of a verified owned object: what the reconciler reads, nothing more.</summary>
public sealed class CompactCopiesTests
{
    private static V1Deployment Whole() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta
        {
            Name = "chat",
            NamespaceProperty = "games",
            Uid = "u-1",
            ResourceVersion = "42",
            Generation = 3,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/instance"] = "chat" },
            Annotations = new Dictionary<string, string>
            {
                [FieldManager.AppliedHashAnnotation] = "abc",
                ["deployment.kubernetes.io/revision"] = "2",
            },
            OwnerReferences =
            [
                new V1OwnerReference { ApiVersion = "wspool.dev/v1alpha1", Kind = "WebSocketPool", Name = "chat", Uid = "p-1", Controller = true },
                new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "other", Uid = "c-1" },
            ],
            ManagedFields = [new V1ManagedFieldsEntry { Manager = FieldManager.Name, Operation = "Apply" }],
        },
        Spec = new V1DeploymentSpec
        {
            Replicas = 4,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "chat" } },
            Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "chat", Image = "chat:1" }] } },
        },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = 3,
            Replicas = 4,
            ReadyReplicas = 3,
            UpdatedReplicas = 4,
            Conditions = [new V1DeploymentCondition { Type = "Available", Status = "True", Message = "long text" }],
        },
    };

    [Fact]
    public void A_deployment_keeps_identity_replicas_and_rollout_counts()
    {
        var copy = CompactCopies.Deployment(Whole());

        (copy.Metadata.Name, copy.Metadata.NamespaceProperty, copy.Metadata.Uid, copy.Metadata.ResourceVersion, copy.Metadata.Generation)
            .Should().Be(("chat", "games", "u-1", "42", 3L));
        copy.Spec.Replicas.Should().Be(4);
        copy.Spec.Selector.MatchLabels.Should().ContainKey("app");
        (copy.Status.ObservedGeneration, copy.Status.ReadyReplicas, copy.Status.UpdatedReplicas).Should().Be((3L, 3, 4));
    }

    [Fact]
    public void A_deployment_drops_its_template_labels_conditions_and_managed_fields()
    {
        var copy = CompactCopies.Deployment(Whole());

        copy.Spec.Template.Should().BeNull();
        copy.Metadata.Labels.Should().BeNull();
        copy.Metadata.ManagedFields.Should().BeNull();
        copy.Status.Conditions.Should().BeNull();
    }

    [Fact]
    public void Only_the_applied_hash_and_the_controller_reference_remain_of_the_metadata()
    {
        var copy = CompactCopies.Deployment(Whole());

        copy.Metadata.Annotations.Should().Equal(new Dictionary<string, string> { [FieldManager.AppliedHashAnnotation] = "abc" });
        copy.Metadata.OwnerReferences.Should().ContainSingle().Which.Uid.Should().Be("p-1");
    }
}
