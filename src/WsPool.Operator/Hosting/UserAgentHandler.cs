namespace WsPool.Operator.Hosting;

/// <summary>
/// Names the operator in every API request (wspool-operator/VERSION (IDENTITY)), so audit logs — and the tests'
/// request log — tell which instance did what.
/// </summary>
public sealed class UserAgentHandler(string userAgent) : DelegatingHandler
{
    public const string Product = "wspool-operator";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return base.SendAsync(request, cancellationToken);
    }

    public static string For(string identity) =>
        $"{Product}/{typeof(UserAgentHandler).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"} ({identity})";
}
