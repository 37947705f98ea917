using System.Collections.Concurrent;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using WsPool.Operator.Runtime;

namespace WsPool.Operator.Tests.Runtime;

/// <summary>
/// A list/watch source the test drives by hand, to pin down the informer's reaction to each thing a server does:
/// events, bookmarks, a closed stream, a 410 Expired error event, silence, a failed request.
/// </summary>
internal sealed class ScriptedListWatch : IListWatch<V1ConfigMap>
{
    private readonly ConcurrentDictionary<string, V1ConfigMap> _server = new();
    private long _version = 1;
    private Channel<(WatchEventType, V1ConfigMap)>? _current;
    private WatchErrors? _currentErrors;

    public string Description => "configmaps (scripted)";
    public string? Namespace => null;

    public int Lists;
    public ConcurrentQueue<string> WatchedFrom { get; } = new();
    public ConcurrentQueue<Exception> FailNextWatches { get; } = new();

    public bool Watching => _current is not null;

    public Task<ListResult<V1ConfigMap>> ListAsync(Func<V1ConfigMap, V1ConfigMap> admit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Lists);
        return Task.FromResult(new ListResult<V1ConfigMap>(_server.Values.Select(admit).ToList(), Interlocked.Read(ref _version).ToString()));
    }

    public Task<WatchStream<V1ConfigMap>> WatchAsync(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken)
    {
        WatchedFrom.Enqueue(resourceVersion);
        if (FailNextWatches.TryDequeue(out var failure)) return Task.FromException<WatchStream<V1ConfigMap>>(failure);
        var channel = Channel.CreateUnbounded<(WatchEventType, V1ConfigMap)>();
        var errors = new WatchErrors();
        _current = channel;
        _currentErrors = errors;
        var closer = new Closer(() => channel.Writer.TryComplete());
        return Task.FromResult(new WatchStream<V1ConfigMap>(closer, Read(channel, cancellationToken), errors));
    }

    private static async IAsyncEnumerable<(WatchEventType, V1ConfigMap)> Read(Channel<(WatchEventType, V1ConfigMap)> channel,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken)) yield return item;
    }

    /// <summary>Changes the server state; with <paramref name="tell"/> the open watch hears of it.</summary>
    public V1ConfigMap Put(string name, bool tell = true)
    {
        var rv = Interlocked.Increment(ref _version).ToString();
        var isNew = !_server.ContainsKey(name);
        var obj = new V1ConfigMap { Metadata = new V1ObjectMeta { NamespaceProperty = "ns", Name = name, ResourceVersion = rv } };
        _server[name] = obj;
        if (tell) _current!.Writer.TryWrite((isNew ? WatchEventType.Added : WatchEventType.Modified, obj));
        return obj;
    }

    public void Remove(string name, bool tell = true)
    {
        var rv = Interlocked.Increment(ref _version).ToString();
        _server.TryRemove(name, out _);
        var obj = new V1ConfigMap { Metadata = new V1ObjectMeta { NamespaceProperty = "ns", Name = name, ResourceVersion = rv } };
        if (tell) _current!.Writer.TryWrite((WatchEventType.Deleted, obj));
    }

    public void Bookmark()
    {
        var rv = Interlocked.Increment(ref _version).ToString();
        _current!.Writer.TryWrite((WatchEventType.Bookmark,
            new V1ConfigMap { Metadata = new V1ObjectMeta { ResourceVersion = rv } }));
    }

    /// <summary>The server ends the watch normally (its timeoutSeconds passed).</summary>
    public void CloseWatch()
    {
        var current = _current;
        _current = null;
        current!.Writer.TryComplete();
    }

    /// <summary>The server sends a 410 Expired error event and closes (the resourceVersion was compacted).</summary>
    public void ExpireWatch()
    {
        _currentErrors!.Report(new KubernetesException(new V1Status { Code = 410, Reason = "Expired", Message = "too old resource version" }));
        CloseWatch();
    }

    public string Version => Interlocked.Read(ref _version).ToString();

    private sealed class Closer(Action close) : IDisposable
    {
        public void Dispose() => close();
    }
}
