using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Errors;

/// <summary>
/// An API error, answered as a <c>Status</c> object with the HTTP code, the reason and details, which is the shape
/// KubernetesClient (and every other client) turns into its exception types.
/// </summary>
public sealed class ApiError : Exception
{
    public ApiError(int code, string reason, string message, JsonObject? details = null, int? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
        RetryAfterSeconds = retryAfterSeconds;
    }

    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }
    public int? RetryAfterSeconds { get; }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        if (Reason.Length > 0) status["reason"] = Reason; // StatusReasonUnknown is empty and omitted
        var details = Details?.DeepClone() as JsonObject;
        if (RetryAfterSeconds is { } retry)
        {
            details ??= new JsonObject();
            details["retryAfterSeconds"] = retry;
        }
        if (details is not null) status["details"] = details;
        status["code"] = Code;
        return status;
    }

    private static JsonObject Describe(string? group, string resource, string? name)
    {
        var d = new JsonObject();
        if (name is not null) d["name"] = name;
        d["group"] = group ?? "";
        d["kind"] = resource;
        return d;
    }

    private static string Qualified(string? group, string resource) =>
        string.IsNullOrEmpty(group) ? resource : $"{resource}.{group}";

    public static ApiError NotFound(string? group, string resource, string name) =>
        new(404, "NotFound", $"{Qualified(group, resource)} \"{name}\" not found", Describe(group, resource, name));

    public static ApiError AlreadyExists(string? group, string resource, string name) =>
        new(409, "AlreadyExists", $"{Qualified(group, resource)} \"{name}\" already exists", Describe(group, resource, name));

    public static ApiError Conflict(string? group, string resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(group, resource)} \"{name}\": {why}",
            Describe(group, resource, name));

    public static ApiError StaleObject(string? group, string resource, string name) =>
        Conflict(group, resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Invalid(string? group, string kind, string? name, params (string Field, string Message)[] causes)
    {
        var details = Describe(group, kind, name);
        var list = new JsonArray();
        foreach (var (field, message) in causes)
            list.Add(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = message, ["field"] = field });
        details["causes"] = list;
        var texts = causes.Select(c => $"{c.Field}: {c.Message}").Distinct().ToList();
        var text = texts.Count == 1 ? texts[0] : "[" + string.Join(", ", texts) + "]";
        var qualified = string.IsNullOrEmpty(group) ? kind : $"{kind}.{group}";
        return new ApiError(422, "Invalid", $"{qualified} \"{name}\" is invalid: {text}", details);
    }

    public static ApiError MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiError UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");

    public static ApiError Expired(string message) => new(410, "Expired", message);

    public static ApiError Gone(string message) => new(410, "Gone", message);

    public static ApiError Forbidden(string? group, string resource, string name, string why) =>
        new(403, "Forbidden", $"{Qualified(group, resource)} \"{name}\" is forbidden: {why}", Describe(group, resource, name));

    public static ApiError TooManyRequests(int retryAfterSeconds) =>
        new(429, "TooManyRequests", "the server has received too many requests and has asked us to try again later",
            retryAfterSeconds: retryAfterSeconds);

    public static ApiError Internal(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}", new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["message"] = message }),
        });

    public static ApiError ServiceUnavailable(string message) => new(503, "ServiceUnavailable", message);
}
