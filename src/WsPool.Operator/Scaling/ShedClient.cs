using System.Net.Http.Json;
using System.Text.Json;

namespace WsPool.Operator.Scaling;

/// <summary>What a shed request achieved: how many the pod says it closed and still holds, or why it failed.</summary>
public sealed record ShedResult(string Pod, int Requested, int Closed, string? Error, int? Remaining = null);

/// <summary>
/// The backend's shed contract: <c>POST http://podIP:adminPort/shed?count=N</c> closes N connections with close code
/// 1012 and answers <c>{"requested":N,"closed":M,"connections":K}</c>. The admin port is a pod port the balancer never
/// forwards to: the pool's spec.scaling.rebalance.adminPort (the chat server's WSPOOL_ADMIN_PORT, default 9091).
/// </summary>
public sealed class ShedClient(HttpClient http, ScraperOptions options)
{
    /// <summary>Every request at once, at most <see cref="ScraperOptions.MaxInFlight"/> in flight; results in target order.</summary>
    public async Task<IReadOnlyList<ShedResult>> ShedAllAsync(IReadOnlyList<ShedTarget> targets, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, options.MaxInFlight));
        return await Task.WhenAll(targets.Select(async target =>
        {
            await gate.WaitAsync(cancellationToken);
            try { return await ShedAsync(target, cancellationToken); }
            finally { gate.Release(); }
        }));
    }

    public Task<ShedResult> ShedAsync(ShedTarget target, CancellationToken cancellationToken) =>
        target.Port is { } port
            ? ShedAsync(target.Pod, target.Address, port, target.Count, cancellationToken)
            : Task.FromResult(new ShedResult(target.Pod, target.Count, 0, target.PortProblem ?? "no admin port"));

    public async Task<ShedResult> ShedAsync(string pod, string podIp, int adminPort, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ShedTimeout);
        var url = new ScrapeTarget(pod, podIp, adminPort).Url($"/shed?count={count}");
        try
        {
            using var response = await http.PostAsync(url, content: null, timeout.Token);
            if (!response.IsSuccessStatusCode) return new ShedResult(pod, count, 0, $"POST {url} answered {(int)response.StatusCode}");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
            var closed = body.TryGetProperty("closed", out var c) && c.TryGetInt32(out var n) ? n : 0;
            int? remaining = body.TryGetProperty("connections", out var k) && k.TryGetInt32(out var open) ? open : null;
            return new ShedResult(pod, count, closed, null, remaining);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ShedResult(pod, count, 0, $"POST {url} timed out after {options.ShedTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return new ShedResult(pod, count, 0, $"POST {url} failed: {e.Message}");
        }
    }
}
