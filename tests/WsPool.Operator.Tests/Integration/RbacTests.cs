using k8s;
using k8s.Models;
using WsPool.Core.Api;
using WsPool.Core.Intent;
using WsPool.Core.Permissions;
using WsPool.Core.Rendering;

namespace WsPool.Operator.Tests.Integration;

/// <summary>crds/operator-rbac.yaml grants exactly what the operator uses: checked against its real requests.</summary>
public sealed class RbacTests
{
    [Fact]
    public async Task The_ClusterRole_allows_every_request_the_operator_made_and_nothing_it_did_not_need()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartOperatorAsync(TestCluster.TestOptions() with { LeaderElection = true });

        // A scenario touching everything: each example, an edit that prunes objects, an invalid pool.
        var rendered = new HashSet<string>();
        var pruned = new HashSet<string>();
        // An Ingress pool naming its class, which the operator checks exists.
        cluster.Api.Store.Create(new V1IngressClass { Metadata = new V1ObjectMeta { Name = "nginx" } });
        var pools = new[] { "examples/chat.yaml", "examples/game-lobby.yaml", "examples/ticker.yaml" }.Select(TestCluster.LoadExample)
            .Append(ClusterPrerequisiteTests.IngressPool("chat-ingress", className: "nginx"));
        foreach (var pool in pools)
        {
            rendered.UnionWith(PoolIntent.For(pool, new RenderOptions()).Objects.Select(o => o.Kind));
            await cluster.CreatePoolAsync(pool);
        }
        await cluster.WaitForAllReadyAsync();
        var chat = cluster.GetPool("chat", "chat")!;
        var before = PoolIntent.For(chat, new RenderOptions()).Objects.Select(o => $"{o.Kind}/{o.Metadata.Name}").ToHashSet();
        var edited = cluster.EditPool("chat", "chat", p => p.Spec.Broker.Type = BrokerType.None);
        var after = PoolIntent.For(edited, new RenderOptions()).Objects.Select(o => $"{o.Kind}/{o.Metadata.Name}").ToHashSet();
        pruned.UnionWith(before.Except(after).Select(k => k.Split('/')[0]));
        await cluster.WaitForReadyAsync("chat", "chat");
        await cluster.Api.Store.WithLooserCrdAsync(TestCluster.PoolCrd,
            () => cluster.CreatePoolAsync(TestCluster.LoadExample("examples/invalid/three-mistakes.yaml")));
        await cluster.WaitForPoolAsync("default", "broken", p => TestCluster.Condition(p, "Ready")?.Reason == "InvalidSpec",
            "Ready reason InvalidSpec");

        var used = cluster.OperatorRequests()
            .Where(r => r.Verb != "discovery")
            .Select(r => (r.ApiGroup, Resource: r.Subresource is null ? r.Resource : $"{r.Resource}/{r.Subresource}", r.Verb))
            .ToHashSet();
        var rules = ClusterRoleRules();

        used.Where(u => !rules.Contains(u)).Should().BeEmpty("every request the operator made must be allowed");

        // Every granted verb was needed. Server-side apply is a PATCH; creating an object by apply is authorized as
        // create as well, so create is needed wherever the operator applied.
        var needed = used.ToHashSet();
        foreach (var (group, resource, verb) in used.ToList())
            if (verb == "patch" && !resource.Contains('/')) needed.Add((group, resource, "create"));
        // Kinds this scenario could not write (no example renders them yet) still need their write verbs.
        var notExercised = rules.Where(r => !needed.Contains(r)).ToList();
        var explained = notExercised.Where(r =>
            OperatorPermissions.OwnedKinds.FirstOrDefault(k => (k.Group, k.Resource) == (r.Group, r.Resource))?.Kind is { } kind
            && ((r.Verb is "create" or "patch" && !rendered.Contains(kind)) || (r.Verb == "delete" && !pruned.Contains(kind)))
            // Pod deletion costs are written only right before a scale-down, which this scenario never makes
            // (AutoscalingTests covers scaling); listing pods is exercised by the example with scaling on.
            || r == ("", "pods", "patch")
            // ReplicaSets are read and written only during a connection-aware rollout, which this scenario never
            // starts (the rollout tests in WsPool.Local.Tests run one on the local node).
            || (r.Group, r.Resource) == ("apps", "replicasets"));
        notExercised.Except(explained).Should().BeEmpty("every verb the ClusterRole grants is used by the operator");
    }

    private static HashSet<(string Group, string Resource, string Verb)> ClusterRoleRules()
    {
        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Repo.Path("crds/operator-rbac.yaml")));
        var role = objects.OfType<V1ClusterRole>().Single();
        return role.Rules
            .SelectMany(r => r.ApiGroups.SelectMany(g => r.Resources.SelectMany(res => r.Verbs.Select(v => (g, res, v)))))
            .ToHashSet();
    }
}
