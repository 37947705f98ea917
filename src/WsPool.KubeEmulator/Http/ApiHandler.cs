using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Faults;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Recording;
using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Schemas;
using WsPool.KubeEmulator.Selectors;
using WsPool.KubeEmulator.Tables;
using WsPool.KubeEmulator.Watch;

namespace WsPool.KubeEmulator.Http;

/// <summary>
/// The one HTTP entry point: resolves the request, injects faults, dispatches to discovery, the registry or the
/// watch streamer, answers errors as Status objects, and records the request.
/// </summary>
internal sealed class ApiHandler(
    ObjectRegistry registry,
    ResourceCatalog catalog,
    FaultSettings faults,
    RequestLog log,
    WatchStreamer watches,
    EmulatorOptions options,
    Func<string> serverAddress,
    CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        var info = RequestParser.Parse(request.Method, request.Path.Value ?? "/", IsTrue(request.Query["watch"]), catalog);
        var decision = info.IsResourceRequest ? faults.Decide(info.Verb, info.Resource) : FaultDecision.None;
        var recorded = false;
        // Recorded as the response starts, before the client can see it: a test that counts requests right after
        // its call returns must find that call already in the log.
        ctx.Response.OnStarting(() =>
        {
            if (!recorded)
            {
                recorded = true;
                Record(ctx, info, ctx.Response.StatusCode, decision);
            }
            return Task.CompletedTask;
        });
        try
        {
            if (decision.Delay is { } delay) await Task.Delay(delay, ctx.RequestAborted);
            switch (decision.Error)
            {
                case FaultKind.InternalError: throw ApiError.Internal("injected fault");
                case FaultKind.ServiceUnavailable: throw ApiError.ServiceUnavailable("the server is currently unable to handle the request (injected fault)");
                case FaultKind.TooManyRequests: throw ApiError.TooManyRequests(faults.RetryAfterSeconds);
                case FaultKind.WriteConflict: throw ApiError.StaleObject(info.Group, info.Resource, info.Name ?? "");
            }
            if (!info.IsResourceRequest)
            {
                await DiscoveryAsync(ctx, info);
                return;
            }
            if (info.Type is null && !catalog.ServesGroupVersion(info.Group, info.Version))
            {
                await PageNotFoundAsync(ctx);
                return;
            }
            var type = info.Type ?? throw new ApiError(404, "NotFound", "the server could not find the requested resource");
            if (info.Verb == "watch")
            {
                Record(ctx, info, 200, decision);
                recorded = true;
                await watches.ServeAsync(ctx, type, info.Namespace, decision, stopping);
                return;
            }
            await ResourceAsync(ctx, info, type);
        }
        catch (ApiError e)
        {
            if (!ctx.Response.HasStarted)
            {
                if (e.RetryAfterSeconds is { } retry) ctx.Response.Headers.RetryAfter = retry.ToString();
                await Responses.Json(ctx, e.Code, e.ToStatus());
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // The client went away or the emulator is stopping.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!ctx.Response.HasStarted) await Responses.Json(ctx, 500, ApiError.Internal(e.Message).ToStatus());
        }
        finally
        {
            if (!recorded) Record(ctx, info, ctx.Response.StatusCode, decision);
        }
    }

    private async Task DiscoveryAsync(HttpContext ctx, RequestInfo info)
    {
        var path = ctx.Request.Path.Value?.TrimEnd('/') ?? "";
        JsonNode? body = path switch
        {
            "/version" => Discovery.Version(options.KubernetesVersion),
            "/api" => Discovery.CoreVersions(serverAddress()),
            "/apis" => Discovery.GroupList(catalog),
            "/healthz" or "/readyz" or "/livez" => null,
            "/openapi/v3" => OpenApiPublisher.Index(catalog),
            _ when path.StartsWith("/openapi/v3/apis/", StringComparison.Ordinal)
                && OpenApiPublisher.GroupVersion(catalog, path["/openapi/v3/apis/".Length..]) is { } document => document,
            _ when path.StartsWith("/apis/", StringComparison.Ordinal) && path.Count(c => c == '/') == 2
                && catalog.Versions(path[6..]).Count > 0 => Discovery.Group(catalog, path[6..]),
            _ when info.Version.Length > 0 && catalog.ServesGroupVersion(info.Group, info.Version) =>
                Discovery.ResourceList(catalog, info.Group, info.Version),
            _ => null,
        };
        if (body is null && path is not ("/healthz" or "/readyz" or "/livez"))
        {
            await PageNotFoundAsync(ctx);
            return;
        }
        if (body is null)
        {
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync("ok");
            return;
        }
        await Responses.Json(ctx, 200, body);
    }

    /// <summary>
    /// A path no API group serves (a group/version without any resource, e.g. a CRD not installed) reaches the API
    /// server's last handler, which answers a plain-text 404, not a Status: clients must not rely on a Status body.
    /// </summary>
    private static async Task PageNotFoundAsync(HttpContext ctx)
    {
        ctx.Response.StatusCode = 404;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync("404 page not found\n", ctx.RequestAborted);
    }

    private async Task ResourceAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var q = ctx.Request.Query;
        var sub = info.Subresource;
        if (sub is not null && !(sub == "status" && type.HasStatus) && !(sub == "scale" && type.Scale is not null))
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        if (type.Namespaced && info.Namespace is null && info.Verb is not ("list" or "deletecollection"))
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        if (!type.Verbs.Contains(info.Verb) && sub is null)
            throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource");

        var dryRun = q["dryRun"] == "All";
        var labels = LabelSelector.Parse(q["labelSelector"]);
        var fields = FieldSelector.Parse(q["fieldSelector"]);
        var name = info.Name ?? "";
        switch (info.Verb)
        {
            case "get" when sub == "scale":
                await Responses.Json(ctx, 200, registry.GetScale(type, info.Namespace, name));
                return;
            case "get" when sub is null && type.IsCustom && TableRequest.From(ctx.Request) is { } table:
                await Responses.Json(ctx, 200, TableConverter.ForObject(type, registry.Get(type, info.Namespace, name), table, options.Time.GetUtcNow()));
                return;
            case "get":
                await Responses.Bytes(ctx, 200, registry.Get(type, info.Namespace, name).JsonFor(type));
                return;
            case "list":
            {
                int? limit = int.TryParse(q["limit"], out var l) && l > 0 ? l : null;
                var table = type.IsCustom ? TableRequest.From(ctx.Request) : null;
                var list = registry.List(type, info.Namespace, labels, fields, limit, q["continue"]);
                if (table is not null) await Responses.Json(ctx, 200, TableConverter.ForList(type, list, table, options.Time.GetUtcNow()));
                else await Responses.List(ctx, type, list);
                return;
            }
            case "create":
            {
                var body = await ReadObjectAsync(ctx);
                var created = registry.Create(type, info.Namespace, body, Write(ctx, apply: false, dryRun));
                await Responses.Bytes(ctx, 201, created.JsonFor(type));
                return;
            }
            case "update" when sub == "scale":
                await Responses.Json(ctx, 200, registry.UpdateScale(type, info.Namespace, name, await ReadObjectAsync(ctx), Write(ctx, false, dryRun)));
                return;
            case "update":
            {
                var updated = registry.Update(type, info.Namespace, name, sub, await ReadObjectAsync(ctx), Write(ctx, false, dryRun));
                await Responses.Bytes(ctx, 200, updated.JsonFor(type));
                return;
            }
            case "patch":
            {
                var kind = PatchKinds.FromContentType(ctx.Request.ContentType)
                    ?? throw ApiError.UnsupportedMediaType(ctx.Request.ContentType ?? "");
                var text = await ReadTextAsync(ctx);
                var write = Write(ctx, kind == PatchKind.Apply, dryRun);
                if (sub == "scale")
                {
                    await Responses.Json(ctx, 200, registry.PatchScale(type, info.Namespace, name, kind, text, write));
                    return;
                }
                var (patched, created) = registry.Patch(type, info.Namespace, name, sub, kind, text, write);
                await Responses.Bytes(ctx, created ? 201 : 200, patched.JsonFor(type));
                return;
            }
            case "delete":
            {
                var request = await ReadDeleteAsync(ctx, dryRun);
                var (obj, gone) = registry.Delete(type, info.Namespace, name, request);
                if (!gone || ReturnsDeletedObject(type)) await Responses.Bytes(ctx, 200, obj.JsonFor(type));
                else await Responses.Json(ctx, 200, Responses.Success(type, obj.Name, obj.Uid));
                return;
            }
            case "deletecollection":
            {
                var request = await ReadDeleteAsync(ctx, dryRun);
                registry.DeleteCollection(type, info.Namespace, labels, fields, request);
                await Responses.Json(ctx, 200, new JsonObject
                {
                    ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success",
                });
                return;
            }
            default:
                throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }
    }

    /// <summary>Kinds whose DELETE answers the deleted object rather than a Status (as their OpenAPI says).</summary>
    private static bool ReturnsDeletedObject(ResourceType type) =>
        type.IsCustom || type.GroupResource == BuiltInResources.Pods.GroupResource
                      || type.GroupResource == BuiltInResources.Services.GroupResource;

    private static WriteOptions Write(HttpContext ctx, bool apply, bool dryRun)
    {
        string? manager = ctx.Request.Query["fieldManager"];
        if (string.IsNullOrEmpty(manager) && !apply) manager = DefaultManager(ctx.Request.Headers.UserAgent.ToString());
        var force = IsTrue(ctx.Request.Query["force"]);
        if (force && !apply) throw ApiError.BadRequest("force is only allowed for apply patches");
        string? validation = ctx.Request.Query["fieldValidation"];
        validation = string.IsNullOrEmpty(validation) ? "Warn" : validation;
        if (validation is not ("Strict" or "Warn" or "Ignore"))
            throw ApiError.BadRequest($"fieldValidation must be one of Ignore, Warn or Strict, got \"{validation}\"");
        var options = new WriteOptions(manager ?? "", dryRun, force, validation);
        ctx.Items[Responses.WarningsKey] = options.Warnings;
        return options;
    }

    /// <summary>The API server names an unnamed manager after the user agent's first segment.</summary>
    internal static string DefaultManager(string userAgent)
    {
        var first = userAgent.Split('/', ' ')[0];
        return first.Length == 0 ? ObjectRegistry.DefaultManager : first;
    }

    private static async Task<string> ReadTextAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ctx.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var text = await ReadTextAsync(ctx);
        try
        {
            return (text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) : YamlToJson.Parse(text)) as JsonObject
                ?? throw ApiError.BadRequest("the request body must be an object");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
        {
            throw ApiError.BadRequest($"the request body could not be decoded: {e.Message}");
        }
    }

    private static async Task<DeleteRequest> ReadDeleteAsync(HttpContext ctx, bool dryRun)
    {
        var q = ctx.Request.Query;
        string? policy = q["propagationPolicy"];
        string? uid = null, rv = null;
        long? grace = long.TryParse(q["gracePeriodSeconds"], out var g) ? g : null;
        var text = await ReadTextAsync(ctx);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var body = JsonNode.Parse(text) as JsonObject;
            policy ??= body.Str("propagationPolicy");
            uid = body?["preconditions"].Str("uid");
            rv = body?["preconditions"].Str("resourceVersion");
            if (body?["dryRun"] is JsonArray d && d.Any(x => JsonUtil.ScalarText(x) == "All")) dryRun = true;
            grace ??= body.Long("gracePeriodSeconds");
            if (policy is null && body?["orphanDependents"] is JsonValue orphan && orphan.TryGetValue<bool>(out var o) && o) policy = "Orphan";
        }
        policy ??= "Background";
        if (policy is not ("Background" or "Foreground" or "Orphan"))
            throw ApiError.BadRequest($"invalid propagationPolicy \"{policy}\": must be Background, Foreground or Orphan");
        if (grace < 0)
            throw ApiError.Invalid("", "DeleteOptions", "", ("gracePeriodSeconds", $"Invalid value: {grace}: must be greater than or equal to 0"));
        return new DeleteRequest(uid, rv, policy, dryRun, grace);
    }

    private void Record(HttpContext ctx, RequestInfo info, int code, FaultDecision decision)
    {
        log.Add(new RecordedRequest
        {
            Time = options.Time.GetUtcNow(),
            Method = ctx.Request.Method,
            Path = ctx.Request.Path.Value ?? "",
            Verb = info.Verb,
            ApiGroup = info.Group,
            Version = info.Version,
            Resource = info.Resource,
            Subresource = info.Subresource,
            Namespace = info.Namespace,
            Name = info.Name,
            StatusCode = code,
            UserAgent = ctx.Request.Headers.UserAgent.ToString(),
            FieldManager = ctx.Request.Query["fieldManager"],
            ContentType = ctx.Request.ContentType,
            Fault = decision.Any ? decision.Describe() : null,
        });
    }

    private static bool IsTrue(string? v) => v is "true" or "1" or "True";
}
