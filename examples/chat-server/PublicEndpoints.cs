using System.Net;
using System.Net.WebSockets;

namespace ChatServer;

/// <summary>What the main port serves: the WebSocket path, health, readiness and metrics.</summary>
public static class PublicEndpoints
{
    public static void Map(WebApplication app, ChatSettings settings)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));

        app.MapGet("/readyz", (ConnectionRegistry registry) =>
            registry.IsDraining ? Results.Text("draining\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : registry.IsAtLimit ? Results.Text("at connection limit\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n"));

        app.MapGet("/metrics", (ConnectionRegistry registry, ChatMetrics metrics) =>
            Results.Text(metrics.Render(registry.Count, registry.Limit, registry.IsDraining), "text/plain; version=0.0.4; charset=utf-8"));

        app.Map(settings.WebSocketPath, AcceptAsync);
    }

    private static async Task AcceptAsync(HttpContext context, ChatSettings settings, ConnectionRegistry registry, ChatProtocol protocol)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("this path takes WebSocket upgrades only\n");
            return;
        }

        switch (registry.TryReserve())
        {
            case Admission.AtLimit:
                await RefuseAsync(context, settings, "connection limit reached");
                return;
            case Admission.Draining:
                await RefuseAsync(context, settings, "draining");
                return;
            case Admission.HeldAfterShed:
                await RefuseAsync(context, settings, "shed connections are being moved to other replicas");
                return;
        }

        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = settings.KeepAliveInterval,
                KeepAliveTimeout = settings.KeepAliveTimeout > TimeSpan.Zero && settings.KeepAliveInterval > TimeSpan.Zero
                    ? settings.KeepAliveTimeout
                    : Timeout.InfiniteTimeSpan,
            });
        }
        catch
        {
            registry.Unreserve();
            throw;
        }

        var connection = registry.Add(socket, LocalAddress(context.Connection));
        try
        {
            // A drain that began while this upgrade was in flight did not see the connection: close it too.
            if (registry.IsDraining) connection.RequestClose(DrainCoordinator.GoingAway, DrainCoordinator.Reason);
            await connection.RunAsync(protocol.OnMessage, context.RequestAborted);
        }
        finally
        {
            registry.Remove(connection);
        }
    }

    private static Task RefuseAsync(HttpContext context, ChatSettings settings, string why)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return context.Response.WriteAsync(why + "\n");
    }

    private static string LocalAddress(ConnectionInfo connection)
    {
        var address = connection.LocalIpAddress ?? IPAddress.None;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{address}]:{connection.LocalPort}"
            : $"{address}:{connection.LocalPort}";
    }
}
