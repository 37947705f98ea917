using System.Net;

namespace WsPool.Load;

/// <summary>
/// Cookies a connection got with its handshake (e.g. a balancer's affinity cookie), sent again on reconnect.
/// Cookie handling is done here rather than by ClientWebSocket because the custom connection handler (for source
/// addresses) and ClientWebSocketOptions.Cookies do not mix.
/// </summary>
internal sealed class CookieJar
{
    private readonly CookieContainer _container = new();
    private readonly Lock _lock = new();

    public string? HeaderFor(Uri webSocketUri)
    {
        lock (_lock)
        {
            var header = _container.GetCookieHeader(HttpEquivalent(webSocketUri));
            return string.IsNullOrEmpty(header) ? null : header;
        }
    }

    public void Store(Uri webSocketUri, IReadOnlyDictionary<string, IEnumerable<string>>? responseHeaders)
    {
        if (responseHeaders is null) return;
        foreach (var (name, values) in responseHeaders)
        {
            if (!name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var value in values)
            {
                lock (_lock)
                {
                    try
                    {
                        _container.SetCookies(HttpEquivalent(webSocketUri), value);
                    }
                    catch (CookieException)
                    {
                        // A cookie the container cannot read is skipped, as a browser would.
                    }
                }
            }
        }
    }

    private static Uri HttpEquivalent(Uri uri) =>
        new UriBuilder(uri) { Scheme = uri.Scheme == "wss" ? "https" : "http", Port = uri.Port }.Uri;
}
