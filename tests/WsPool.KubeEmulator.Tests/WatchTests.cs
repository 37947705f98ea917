#pragma warning disable CS0618 // WatchAsync is marked obsolete in KubernetesClient 21 but is the documented way to watch.
using static WsPool.KubeEmulator.Tests.Support;

namespace WsPool.KubeEmulator.Tests;

public sealed class WatchTests
{
    private static WatchReader<V1ConfigMap, V1ConfigMapList> WatchConfigMaps(Kubernetes client, string? resourceVersion = null,
        string? labelSelector = null, bool? bookmarks = null, int? timeoutSeconds = null) =>
        new(ct => client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("default", watch: true,
            resourceVersion: resourceVersion, labelSelector: labelSelector, allowWatchBookmarks: bookmarks,
            timeoutSeconds: timeoutSeconds, cancellationToken: ct));

    [Fact]
    public async Task Watch_streams_added_modified_and_deleted_events_in_order()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        await using var watch = WatchConfigMaps(client, list.Metadata.ResourceVersion);

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        created.Data["key"] = "changed";
        var updated = await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");

        var added = await watch.NextAsync();
        added.Type.Should().Be(WatchEventType.Added);
        added.Object.Metadata.ResourceVersion.Should().Be(created.Metadata.ResourceVersion);
        var modified = await watch.NextAsync();
        modified.Type.Should().Be(WatchEventType.Modified);
        modified.Object.Data["key"].Should().Be("changed");
        modified.Object.Metadata.ResourceVersion.Should().Be(updated.Metadata.ResourceVersion);
        var deleted = await watch.NextAsync();
        deleted.Type.Should().Be(WatchEventType.Deleted);
        long.Parse(deleted.Object.Metadata.ResourceVersion).Should().BeGreaterThan(long.Parse(updated.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Watch_without_resource_version_starts_with_the_current_objects_as_added()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default");

        await using var watch = WatchConfigMaps(client);

        (await watch.NextAsync()).Should().Match<(WatchEventType Type, V1ConfigMap Object)>(e => e.Type == WatchEventType.Added && e.Object.Metadata.Name == "a");
        (await watch.NextAsync()).Should().Match<(WatchEventType Type, V1ConfigMap Object)>(e => e.Type == WatchEventType.Added && e.Object.Metadata.Name == "b");
    }

    [Fact]
    public async Task Watch_from_a_resource_version_replays_only_later_changes()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("before"), "default");
        var rv = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("after"), "default");

        await using var watch = WatchConfigMaps(client, rv);

        var first = await watch.NextAsync();
        first.Object.Metadata.Name.Should().Be("after");
        first.Type.Should().Be(WatchEventType.Added);
    }

    [Fact]
    public async Task Watch_from_an_expired_resource_version_gets_a_410_expired_error_event()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var rv = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        api.Store.CompactWatchHistory();

        await using var watch = WatchConfigMaps(client, rv);
        var events = await watch.UntilEndAsync();

        events.Should().BeEmpty();
        var error = watch.Errors.OfType<KubernetesException>().Should().ContainSingle().Subject;
        error.Status.Code.Should().Be(410);
        error.Status.Reason.Should().Be("Expired");
        error.Status.Message.Should().StartWith("too old resource version");
    }

    [Fact]
    public async Task A_small_history_window_expires_old_resource_versions_by_itself()
    {
        await using var api = await KubeApiEmulator.StartAsync(new EmulatorOptions { WatchHistoryPerResource = 3 });
        var client = api.CreateClient();
        var rv = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        for (var i = 0; i < 5; i++) await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"c{i}"), "default");

        await using var watch = WatchConfigMaps(client, rv);
        await watch.UntilEndAsync();

        watch.Errors.OfType<KubernetesException>().Should().ContainSingle().Which.Status.Code.Should().Be(410);
    }

    [Fact]
    public async Task Watch_with_bookmarks_receives_bookmark_events_carrying_the_current_resource_version()
    {
        await using var api = await KubeApiEmulator.StartAsync(new EmulatorOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        await using var watch = WatchConfigMaps(client, created.Metadata.ResourceVersion, bookmarks: true);
        var bookmark = await watch.NextAsync();

        bookmark.Type.Should().Be(WatchEventType.Bookmark);
        bookmark.Object.Metadata.ResourceVersion.Should().Be(api.Store.ResourceVersion.ToString());
    }

    [Fact]
    public async Task Watch_ends_when_timeout_seconds_pass()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();

        await using var watch = WatchConfigMaps(client, timeoutSeconds: 1);

        (await watch.UntilEndAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Watch_with_a_label_selector_sees_an_object_leave_the_selection_as_deleted()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var rv = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        await using var watch = WatchConfigMaps(client, rv, labelSelector: "team=a");

        var cm = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x", new() { ["team"] = "a" }), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("other", new() { ["team"] = "b" }), "default");
        cm.Metadata.Labels["team"] = "b";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(cm, "x", "default");

        var first = await watch.NextAsync();
        (first.Type, first.Object.Metadata.Name).Should().Be((WatchEventType.Added, "x"));
        var second = await watch.NextAsync();
        (second.Type, second.Object.Metadata.Name).Should().Be((WatchEventType.Deleted, "x"));
    }

    [Fact]
    public async Task Watch_of_a_custom_resource_works_through_the_custom_objects_api()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crds.WebSocketPools());
        await using var watch = new WatchReader<Crds.Pool, object>(ct => client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
            "wspool.dev", "v1alpha1", "default", "websocketpools", watch: true, cancellationToken: ct));

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Crds.Pool.Named("p1"), "wspool.dev", "v1alpha1", "default", "websocketpools");

        var e = await watch.NextAsync();
        e.Type.Should().Be(WatchEventType.Added);
        e.Object.Metadata.Name.Should().Be("p1");
    }

    [Fact]
    public async Task A_watch_resumed_from_the_last_seen_version_misses_no_change_made_while_disconnected()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        var client = api.CreateClient();
        var rv = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        string lastSeen;
        await using (var first = WatchConfigMaps(client, rv))
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
            lastSeen = (await first.NextAsync()).Object.Metadata.ResourceVersion;
        }

        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");
        await using var resumed = WatchConfigMaps(client, lastSeen);

        var e1 = await resumed.NextAsync();
        var e2 = await resumed.NextAsync();
        (e1.Type, e1.Object.Metadata.Name).Should().Be((WatchEventType.Added, "b"));
        (e2.Type, e2.Object.Metadata.Name).Should().Be((WatchEventType.Deleted, "a"));
    }
}
