using k8s.Models;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Tests.Runtime;

public sealed class StoreTests
{
    private static V1ConfigMap Map(string ns, string name, string rv) =>
        new() { Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name, ResourceVersion = rv } };

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
