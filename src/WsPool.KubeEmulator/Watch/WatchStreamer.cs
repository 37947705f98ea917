using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Faults;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Selectors;
using WsPool.KubeEmulator.Storage;
using WsPool.KubeEmulator.Tables;

namespace WsPool.KubeEmulator.Watch;

/// <summary>
/// Serves WATCH: a chunked stream of newline-delimited JSON events. Without a resourceVersion (or "0") it starts
/// with ADDED events for the current objects; with one it replays the retained history after that version, or
/// sends a single ERROR event with a 410 Expired Status when the version is older than the window (the client must
/// relist). BOOKMARK events come every bookmark interval when asked for; the stream ends after timeoutSeconds.
/// </summary>
internal sealed class WatchStreamer(ObjectStore store, EmulatorOptions options)
{
    public async Task ServeAsync(HttpContext ctx, ResourceType type, string? ns, FaultDecision faults, CancellationToken stopping)
    {
        var q = ctx.Request.Query;
        var labels = LabelSelector.Parse(q["labelSelector"]);
        var fields = FieldSelector.Parse(q["fieldSelector"]);
        var bookmarks = IsTrue(q["allowWatchBookmarks"]);
        var sendInitial = IsTrue(q["sendInitialEvents"]);
        var tableRequest = type.IsCustom ? TableRequest.From(ctx.Request) : null;
        string? rvText = q["resourceVersion"];
        long? fromVersion = null;
        if (!string.IsNullOrEmpty(rvText) && rvText != "0")
        {
            if (!long.TryParse(rvText, out var parsed)) throw ApiError.BadRequest($"invalid resource version \"{rvText}\"");
            fromVersion = parsed;
        }
        var timeout = options.MaxWatchTimeout;
        if (long.TryParse(q["timeoutSeconds"], out var seconds) && seconds > 0 && TimeSpan.FromSeconds(seconds) < timeout)
            timeout = TimeSpan.FromSeconds(seconds);

        var subscription = new WatchSubscription(type, type.Namespaced ? ns : null, labels, fields);
        byte[]? error = null;
        ResourceTable? table = null;
        lock (store.Sync)
        {
            if (faults.Error == FaultKind.WatchGone)
                error = ErrorLine(ApiError.Expired($"too old resource version: {rvText} ({store.CurrentResourceVersionUnlocked})"));
            else
            {
                table = store.Table(type.GroupResource);
                if (fromVersion is null || sendInitial)
                {
                    foreach (var o in store.ListUnlocked(type.GroupResource, type.Namespaced ? ns : null))
                        if (subscription.Matches(o)) subscription.Enqueue(WatchEventRecord.Line("ADDED", o.JsonFor(type)));
                    if (sendInitial && bookmarks)
                        subscription.Enqueue(Bookmark(type, store.CurrentResourceVersionUnlocked, initialEventsEnd: true));
                }
                else
                {
                    var history = table.History.After(fromVersion.Value);
                    if (history is null)
                        error = ErrorLine(ApiError.Expired($"too old resource version: {fromVersion} ({table.History.Floor + 1})"));
                    else
                        foreach (var e in history) subscription.Offer(e);
                }
                if (error is null) table.AddWatcher(subscription);
            }
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers.CacheControl = "no-cache, private";
        await ctx.Response.StartAsync(ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        if (error is not null)
        {
            await ctx.Response.Body.WriteAsync(error, ctx.RequestAborted);
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        deadline.CancelAfter(timeout);
        using var drop = faults.DropWatchAfter is { } after ? new Timer(_ => ctx.Abort(), null, after, Timeout.InfiniteTimeSpan) : null;
        try
        {
            await PumpAsync(ctx, type, subscription, bookmarks, tableRequest, deadline.Token);
        }
        catch (OperationCanceledException) { /* timeout, client gone, or server stopping: end the stream */ }
        catch (IOException) { /* connection dropped */ }
        finally
        {
            subscription.Close();
            lock (store.Sync) table?.RemoveWatcher(subscription);
        }
    }

    private async Task PumpAsync(HttpContext ctx, ResourceType type, WatchSubscription subscription, bool bookmarks,
        TableRequest? table, CancellationToken token)
    {
        var body = ctx.Response.Body;
        var reader = subscription.Lines;
        var columnsSent = false;
        while (!token.IsCancellationRequested)
        {
            while (reader.TryRead(out var line))
            {
                var wire = table is null ? line : TableConverter.ForWatchLine(type, line, table, options.Time.GetUtcNow(), ref columnsSent);
                await body.WriteAsync(wire, token);
            }
            await body.FlushAsync(token);
            bool more;
            if (bookmarks)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
                wait.CancelAfter(options.BookmarkInterval);
                try
                {
                    more = await reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    // Quiet for a whole interval: tell the client how far it is up to date. Under the lock, so no
                    // event at or below this version can still be on its way.
                    lock (store.Sync) subscription.Enqueue(Bookmark(type, store.CurrentResourceVersionUnlocked, false));
                    more = true;
                }
            }
            else more = await reader.WaitToReadAsync(token);
            if (!more) return;
        }
    }

    private static bool IsTrue(string? v) => v is "true" or "1" or "True";

    private static byte[] Bookmark(ResourceType type, long rv, bool initialEventsEnd)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString() };
        if (initialEventsEnd) meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        var obj = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = meta };
        return WatchEventRecord.Line("BOOKMARK", JsonUtil.ToBytes(obj));
    }

    private static byte[] ErrorLine(ApiError error) => WatchEventRecord.Line("ERROR", JsonUtil.ToBytes(error.ToStatus()));

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
