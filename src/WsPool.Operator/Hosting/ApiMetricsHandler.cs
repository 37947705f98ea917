namespace WsPool.Operator.Hosting;

/// <summary>Counts every request the Kubernetes client sends, by API verb and response code.</summary>
public sealed class ApiMetricsHandler(OperatorMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var verb = VerbOf(request);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            metrics.ApiRequest(verb, code.ToString(System.Globalization.CultureInfo.InvariantCulture), code >= 400);
            return response;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.ApiRequest(verb, "none", failed: true);
            throw;
        }
    }

    /// <summary>The Kubernetes verb: list and watch are GETs told apart by the query.</summary>
    public static string VerbOf(HttpRequestMessage request)
    {
        var method = request.Method.Method;
        if (method != "GET") return method.ToLowerInvariant() switch
        {
            "post" => "create",
            "put" => "update",
            var other => other,
        };
        var query = request.RequestUri?.Query ?? "";
        return query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) ? "watch" : "get";
    }
}
