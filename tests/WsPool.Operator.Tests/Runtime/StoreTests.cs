using k8s.Models;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Tests.Runtime;

public sealed class StoreTests
{
    private static V1ConfigMap Map(string ns, string name, string rv) =>
        new() { Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name, ResourceVersion = rv } };

    private static V1ConfigMap Owned(string name, string rv, string controllerUid, bool controller = true)
    {
        var map = Map("a", name, rv);
        map.Metadata.OwnerReferences = [new V1OwnerReference { Uid = controllerUid, Controller = controller, Name = "p", Kind = "WebSocketPool", ApiVersion = "wspool.dev/v1alpha1" }];
        return map;
    }

    [Fact]
    public void The_watch_echo_of_an_object_already_written_through_is_not_a_change()
    {
        var store = new Store<V1ConfigMap>();
        var written = Map("a", "x", "10");
        store.TryUpdateNewer(written).Should().BeTrue();

        store.Upsert(Map("a", "x", "10"), out _).Should().BeNull();
        store.Get("a", "x").Should().BeSameAs(written);
    }

    [Fact]
    public void Objects_are_found_by_their_controllers_uid()
    {
        var store = new Store<V1ConfigMap>();
        store.Upsert(Owned("x", "1", "pool-1"), out _);
        store.Upsert(Owned("y", "2", "pool-1"), out _);
        store.Upsert(Owned("z", "3", "pool-2"), out _);
        store.Upsert(Map("a", "free", "4"), out _);

        store.Indexed("pool-1").Select(m => m.Metadata.Name).Should().BeEquivalentTo("x", "y");
        store.Indexed("pool-2").Select(m => m.Metadata.Name).Should().Equal("z");
        store.Indexed("nobody").Should().BeEmpty();
    }

    [Fact]
    public void A_store_can_index_objects_by_another_key()
    {
        var store = new Store<V1ConfigMap>(m => m.Metadata.Labels is { } l && l.TryGetValue("service", out var s) ? s : null);
        var a = Map("a", "x", "1");
        a.Metadata.Labels = new Dictionary<string, string> { ["service"] = "chat" };
        store.Upsert(a, out _);
        store.Upsert(Owned("y", "2", "pool-1"), out _);

        store.Indexed("chat").Should().ContainSingle(m => m.Metadata.Name == "x");
        store.Indexed("pool-1").Should().BeEmpty("the controller is not this store's key");
    }

    [Fact]
    public void An_owner_reference_that_is_not_the_controller_does_not_index_the_object()
    {
        var store = new Store<V1ConfigMap>();
        store.Upsert(Owned("x", "1", "pool-1", controller: false), out _);
        store.Indexed("pool-1").Should().BeEmpty();
    }

    [Fact]
    public void The_controller_index_follows_updates_removals_and_relists()
    {
        var store = new Store<V1ConfigMap>();
        store.Upsert(Owned("x", "1", "pool-1"), out _);
        store.Upsert(Owned("x", "2", "pool-2"), out _);
        store.Indexed("pool-1").Should().BeEmpty();
        store.Indexed("pool-2").Should().ContainSingle();

        store.Remove(new ObjectKey("a", "x"), out _);
        store.Indexed("pool-2").Should().BeEmpty();

        store.Replace([Owned("y", "3", "pool-3")]);
        store.Indexed("pool-3").Should().ContainSingle();
        store.Replace([]);
        store.Indexed("pool-3").Should().BeEmpty();
    }

    [Fact]
    public void A_relist_reports_objects_deleted_while_the_watch_was_down()
    {
        var store = new Store<V1ConfigMap>();
        store.Replace([Map("a", "keep", "1"), Map("a", "gone", "2")]);

        var changes = store.Replace([Map("a", "keep", "1"), Map("a", "new", "5")]);

        changes.Select(c => (c.Change, c.Object.Metadata.Name)).Should().BeEquivalentTo(new[]
        {
            (StoreChange.Added, "new"),
            (StoreChange.Deleted, "gone"),
        });
        store.Keys().Should().BeEquivalentTo(new[] { new ObjectKey("a", "keep"), new ObjectKey("a", "new") });
    }

    [Fact]
    public void A_relist_reports_objects_changed_while_the_watch_was_down()
    {
        var store = new Store<V1ConfigMap>();
        store.Replace([Map("a", "x", "1")]);
        store.Replace([Map("a", "x", "7")]).Should().ContainSingle(c => c.Change == StoreChange.Updated);
    }

    [Fact]
    public void A_namespace_scoped_relist_leaves_other_namespaces_alone()
    {
        var store = new Store<V1ConfigMap>();
        store.Replace([Map("a", "x", "1")], "a");
        store.Replace([Map("b", "y", "2")], "b");
        store.Replace([], "a").Should().ContainSingle(c => c.Change == StoreChange.Deleted && c.Object.Metadata.Name == "x");
        store.Get("b", "y").Should().NotBeNull();
    }

    [Fact]
    public void An_older_watch_event_never_replaces_an_object_written_through_after_an_apply()
    {
        var store = new Store<V1ConfigMap>();
        store.TryUpdateNewer(Map("a", "x", "10")).Should().BeTrue();
        store.Upsert(Map("a", "x", "9"), out _).Should().BeNull();
        store.Get("a", "x")!.Metadata.ResourceVersion.Should().Be("10");
        store.Upsert(Map("a", "x", "11"), out var previous).Should().Be(StoreChange.Updated);
        previous!.Metadata.ResourceVersion.Should().Be("10");
    }
}
