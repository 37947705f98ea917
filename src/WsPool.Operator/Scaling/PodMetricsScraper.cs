using WsPool.Core.Scaling;

namespace WsPool.Operator.Scaling;

/// <summary>
/// Reads the connection gauge from each ready pod's Prometheus endpoint, concurrently with at most
/// <see cref="ScraperOptions.MaxInFlight"/> requests in flight and a timeout per request. A pod that refuses, times
/// out, answers an error or lacks the metric is listed as missing with the reason; the others still count.
/// </summary>
public sealed class PodMetricsScraper(HttpClient http, ScraperOptions options)
{
    public async Task<ScrapeOutcome> ScrapeAsync(IReadOnlyList<ScrapeTarget> pods, string path, string metricName,
        DateTime at, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, options.MaxInFlight));
        var reads = pods.Select(async pod =>
        {
            await gate.WaitAsync(cancellationToken);
            try { return (pod, result: await ReadAsync(pod, path, metricName, cancellationToken)); }
            finally { gate.Release(); }
        }).ToList();
        var results = await Task.WhenAll(reads);

        var counts = new Dictionary<string, long>();
        var failures = new Dictionary<string, string>();
        foreach (var (pod, (value, error)) in results)
        {
            if (value is { } v) counts[pod.Name] = v;
            else failures[pod.Name] = error!;
        }
        return new ScrapeOutcome(new ConnectionSample(at, counts, failures.Keys.Order(StringComparer.Ordinal).ToList()), failures);
    }

    private async Task<(long? Value, string? Error)> ReadAsync(ScrapeTarget pod, string path, string metricName,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        var url = pod.Url(path);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, timeout.Token);
            if (!response.IsSuccessStatusCode) return (null, $"GET {url} answered {(int)response.StatusCode}");
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var value = PrometheusText.Sum(text, metricName);
            if (value is not { } v || double.IsNaN(v) || double.IsInfinity(v) || v < 0)
                return (null, $"GET {url} has no usable {metricName}");
            return ((long)Math.Round(v), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"GET {url} timed out after {options.RequestTimeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException e)
        {
            return (null, $"GET {url} failed: {e.Message}");
        }
    }
}
