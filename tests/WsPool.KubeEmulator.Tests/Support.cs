#pragma warning disable CS0618 // WatchAsync is marked obsolete in KubernetesClient 21 but is the documented way to watch.
using System.Threading.Channels;

namespace WsPool.KubeEmulator.Tests;

/// <summary>Test helpers: sample objects and a bounded reader over a real KubernetesClient watch (waits use WsPool.Testing.Eventually).</summary>
internal static class Support
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static V1ConfigMap ConfigMap(string name, Dictionary<string, string>? labels = null, string value = "value") => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = new Dictionary<string, string> { ["key"] = value },
    };

    public static V1Deployment Deployment(string name, int replicas = 1, string image = "nginx:1.27") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] },
            },
        },
    };
}

/// <summary>Consumes a watch in the background; <see cref="NextAsync"/> returns events one at a time, bounded in time.</summary>
internal sealed class WatchReader<T, TList> : IAsyncDisposable
{
    private readonly Channel<(WatchEventType Type, T Object)> _events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public List<Exception> Errors { get; } = [];

    public WatchReader(Func<CancellationToken, Task<HttpOperationResponse<TList>>> start)
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in start(_stop.Token).WatchAsync<T, TList>(ex => { lock (Errors) Errors.Add(ex); }, _stop.Token))
                    await _events.Writer.WriteAsync(e);
            }
            catch (Exception ex)
            {
                lock (Errors) Errors.Add(ex);
            }
            finally
            {
                _events.Writer.TryComplete();
            }
        });
    }

    public async Task<(WatchEventType Type, T Object)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Support.Wait);
        try
        {
            return await _events.Reader.ReadAsync(timeout.Token);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            lock (Errors) throw new InvalidOperationException("the watch ended: " + string.Join("; ", Errors.Select(e => e.ToString())));
        }
    }

    /// <summary>Events until the stream ends (the server closed it); throws when it does not end within the wait.</summary>
    public async Task<List<(WatchEventType Type, T Object)>> UntilEndAsync()
    {
        using var timeout = new CancellationTokenSource(Support.Wait);
        var all = new List<(WatchEventType, T)>();
        await foreach (var e in _events.Reader.ReadAllAsync(timeout.Token)) all.Add(e);
        return all;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _pump.WaitAsync(Support.Wait); } catch (Exception) { /* the pump records its own errors */ }
        _stop.Dispose();
    }
}
