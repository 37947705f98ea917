using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;

namespace WsPool.KubeEmulator.Http;

/// <summary>Writes JSON answers: single objects, lists assembled from stored bytes, and Status objects.</summary>
internal static class Responses
{
    public static Task Json(HttpContext ctx, int code, JsonNode node) => Bytes(ctx, code, JsonUtil.ToBytes(node));

    /// <summary>HttpContext.Items key of the request's warnings (a List&lt;string&gt;), sent as <c>Warning: 299 - "text"</c>.</summary>
    public const string WarningsKey = "wspool.warnings";

    public static async Task Bytes(HttpContext ctx, int code, byte[] body)
    {
        if (ctx.Items.TryGetValue(WarningsKey, out var w) && w is List<string> warnings)
            foreach (var warning in warnings.Distinct())
                ctx.Response.Headers.Append("Warning", $"299 - {Schemas.GoFormat.Quote(warning)}");
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    }

    /// <summary>A list as the API server sends it: <c>{"apiVersion","kind":"XList","metadata":{resourceVersion,continue},"items":[...]}</c>.</summary>
    public static async Task List(HttpContext ctx, ResourceType type, ListResult result)
    {
        var meta = new JsonObject { ["resourceVersion"] = result.ResourceVersion.ToString() };
        if (result.Continue is not null)
        {
            meta["continue"] = result.Continue;
            meta["remainingItemCount"] = result.RemainingItemCount;
        }
        var head = Encoding.UTF8.GetBytes(
            $"{{\"apiVersion\":\"{type.ApiVersion}\",\"kind\":\"{type.ListKind}\",\"metadata\":{JsonUtil.ToJson(meta)},\"items\":[");
        var length = head.Length + 2;
        var items = new byte[result.Items.Count][];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = result.Items[i].JsonFor(type);
            length += items[i].Length + (i > 0 ? 1 : 0);
        }
        var body = new byte[length];
        var at = 0;
        head.CopyTo(body, at);
        at += head.Length;
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0) body[at++] = (byte)',';
            items[i].CopyTo(body, at);
            at += items[i].Length;
        }
        body[at++] = (byte)']';
        body[at] = (byte)'}';
        await Bytes(ctx, 200, body);
    }

    public static JsonObject Success(ResourceType type, string name, string uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural, ["uid"] = uid },
    };
}
