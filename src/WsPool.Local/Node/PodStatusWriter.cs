using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace WsPool.Local.Node;

/// <summary>
/// Writes one pod's status through the status subresource, one write at a time and only the latest: a burst of
/// changes (a container starts, its probe passes, ...) collapses into the status as it is when the previous write
/// returned, and a status equal to the last one written is not sent. A JSON merge patch of the whole status replaces
/// the lists (conditions, containerStatuses) and keeps what the node does not own. A pod that is gone (404) ends the
/// writer; other failures are retried.
/// </summary>
internal sealed class PodStatusWriter
{
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task _loop;
    private readonly Lock _lock = new();
    private V1PodStatus? _latest;
    private string? _written;
    private long _offered;
    private long _settled;
    private bool _gone;

    public PodStatusWriter(IKubernetes client, string @namespace, string name, ILogger logger)
    {
        _client = client;
        _namespace = @namespace;
        _name = name;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues a status to write; a later one replaces it if it was not sent yet.</summary>
    public void Offer(V1PodStatus status)
    {
        lock (_lock)
        {
            _latest = status;
            _offered++;
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Waits (bounded) until everything offered so far was written or found needless.</summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        long target;
        lock (_lock) target = _offered;
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            lock (_lock)
                if (_settled >= target || _gone) return;
            await Task.Delay(20);
        }
    }

    /// <summary>Ends the writer; what was not written by then is dropped.</summary>
    public async Task StopAsync()
    {
        _wake.Writer.TryComplete();
        await _loop;
    }

    private async Task LoopAsync()
    {
        var failures = 0;
        await foreach (var _ in _wake.Reader.ReadAllAsync())
        {
            V1PodStatus? status;
            long offered;
            lock (_lock)
            {
                status = _latest;
                offered = _offered;
                if (_gone) continue;
            }
            if (status is null) continue;
            var json = KubernetesJson.Serialize(status);
            try
            {
                if (json != _written)
                {
                    await _client.CoreV1.PatchNamespacedPodStatusAsync(
                        new V1Patch(new V1Pod { Status = status }, V1Patch.PatchType.MergePatch), _name, _namespace);
                    _written = json;
                }
                failures = 0;
                lock (_lock) _settled = Math.Max(_settled, offered);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                lock (_lock) _gone = true;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or TaskCanceledException)
            {
                failures++;
                _logger.LogInformation("Writing the status of pod {Namespace}/{Name} failed ({Error}); retrying", _namespace, _name, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 << Math.Min(failures, 6))));
                _wake.Writer.TryWrite(true);
            }
        }
    }
}
