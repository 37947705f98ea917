using System.Net;

namespace WsPool.Operator.Hosting;

/// <summary>
/// Retries a request the API server turned away for a moment — 429 (priority and fairness; honouring Retry-After,
/// as client-go does), 500, 503, and a 409 on a PATCH (server-side apply with force is idempotent) — a few times
/// with a short jittered delay, so one busy moment does not fail a whole reconcile and push the pool into the work
/// queue's long backoff. Watches are never retried here: the informer owns their lifecycle.
/// </summary>
public sealed class RetryHandler(int maxAttempts = 4) : DelegatingHandler
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var watch = request.RequestUri?.Query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) == true;
        for (var attempt = 1; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (watch || attempt >= maxAttempts || !IsTransient(request, response.StatusCode)) return response;
            var delay = response.Headers.RetryAfter?.Delta
                ?? TimeSpan.FromMilliseconds(25 * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble()));
            response.Dispose();
            await Task.Delay(delay < MaxDelay ? delay : MaxDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransient(HttpRequestMessage request, HttpStatusCode code) => code switch
    {
        HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable => true,
        HttpStatusCode.Conflict => request.Method == HttpMethod.Patch,
        _ => false,
    };
}
