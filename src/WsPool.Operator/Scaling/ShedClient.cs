using System.Net.Http.Json;
using System.Text.Json;

namespace WsPool.Operator.Scaling;

/// <summary>What a shed request achieved: how many the pod says it closed, or why it failed.</summary>
public sealed record ShedResult(string Pod, int Requested, int Closed, string? Error);

/// <summary>
/// The backend's shed contract: <c>POST http://podIP:adminPort/shed?count=N</c> closes N connections with close code
/// 1012 and answers <c>{"requested":N,"closed":M,"connections":K}</c>. The admin port is a pod port the balancer never
/// forwards to (<see cref="ScraperOptions.AdminPort"/>, the chat server's WSPOOL_ADMIN_PORT).
/// </summary>
public sealed class ShedClient(HttpClient http, ScraperOptions options)
{
    public async Task<ShedResult> ShedAsync(string pod, string podIp, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Closing N connections takes the server a moment; give it a few request timeouts.
        timeout.CancelAfter(options.RequestTimeout * 5);
        var url = new ScrapeTarget(pod, podIp, options.AdminPort).Url($"/shed?count={count}");
        try
        {
            using var response = await http.PostAsync(url, content: null, timeout.Token);
            if (!response.IsSuccessStatusCode) return new ShedResult(pod, count, 0, $"POST {url} answered {(int)response.StatusCode}");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
            var closed = body.TryGetProperty("closed", out var c) && c.TryGetInt32(out var n) ? n : 0;
            return new ShedResult(pod, count, closed, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ShedResult(pod, count, 0, $"POST {url} timed out");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return new ShedResult(pod, count, 0, $"POST {url} failed: {e.Message}");
        }
    }
}
