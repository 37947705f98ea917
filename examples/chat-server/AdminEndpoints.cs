using System.Globalization;

namespace ChatServer;

/// <summary>
/// The admin port: POST /drain and POST /shed?count=N. It listens on the replica's own addresses (the pod IP) on a
/// separate port that the balancer never forwards to, so clients cannot drain or shed a replica; the main port does
/// not serve these paths at all.
/// </summary>
public static class AdminEndpoints
{
    public static void Configure(IApplicationBuilder admin) => admin.Run(HandleAsync);

    private static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;

        if (path is "/drain" or "/shed" && !HttpMethods.IsPost(method))
        {
            context.Response.Headers.Allow = "POST";
            await Json(context, StatusCodes.Status405MethodNotAllowed, new { error = $"{path} takes POST" });
            return;
        }

        switch (path)
        {
            case "/drain":
            {
                var settings = services.GetRequiredService<ChatSettings>();
                var registry = services.GetRequiredService<ConnectionRegistry>();
                services.GetRequiredService<DrainCoordinator>().RequestDrain();
                await Json(context, StatusCodes.Status202Accepted,
                    new { draining = true, connections = registry.Count, window = Duration.Format(settings.DrainTimeout) });
                return;
            }
            case "/shed":
            {
                var text = context.Request.Query["count"].ToString();
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    await Json(context, StatusCodes.Status400BadRequest, new { error = $"count: '{text}' must be a whole number >= 0" });
                    return;
                }
                var settings = services.GetRequiredService<ChatSettings>();
                var shed = await services.GetRequiredService<ConnectionShedder>().ShedAsync(count);
                // Those it just closed may still be in the registry while their handlers finish: <left> counts the
                // connections that are open and not closing, what the operator's pacing plans with.
                var open = services.GetRequiredService<ConnectionRegistry>().Snapshot().Count(c => !c.IsClosing);
                object? hold = null;
                if (shed.Closed > 0 && settings.ShedHold > TimeSpan.Zero)
                    hold = new { duration = Duration.Format(settings.ShedHold), refuseUpgradesAt = shed.HoldCeiling };
                await Json(context, StatusCodes.Status200OK, new { requested = count, closed = shed.Closed, connections = open, hold });
                return;
            }
            case "/healthz":
                await context.Response.WriteAsync("ok\n");
                return;
            default:
                await Json(context, StatusCodes.Status404NotFound, new { error = "admin endpoints are POST /drain and POST /shed?count=N" });
                return;
        }
    }

    private static Task Json(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body);
    }
}
