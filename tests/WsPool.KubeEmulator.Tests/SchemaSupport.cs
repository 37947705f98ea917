using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace WsPool.KubeEmulator.Tests;

/// <summary>Raw HTTP against the emulator (status codes, Status bodies and Warning headers as a client sees them) and CRD builders.</summary>
internal sealed class RawApi(KubeApiEmulator api) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(api.Url) };

    public const string CrdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    public const string ThingsPath = "/apis/example.com/v1/namespaces/default/things";

    public sealed record Answer(HttpStatusCode Code, JsonObject Body, IReadOnlyList<string> Warnings)
    {
        public JsonArray Causes => (JsonArray)Body["details"]!["causes"]!;
        public string Message => Body["message"]!.GetValue<string>();
        public IEnumerable<string> CauseTexts => Causes.Select(c => $"{c!["field"]}: {c["message"]}");
    }

    public Task<Answer> Post(string path, string json, string query = "") => Send(HttpMethod.Post, path + query, json, "application/json");
    public Task<Answer> Put(string path, string json, string query = "") => Send(HttpMethod.Put, path + query, json, "application/json");
    public Task<Answer> MergePatch(string path, string json, string query = "") => Send(HttpMethod.Patch, path + query, json, "application/merge-patch+json");
    public Task<Answer> Apply(string path, string json, string manager = "test") => Send(HttpMethod.Patch, $"{path}?fieldManager={manager}", json, "application/apply-patch+yaml");
    public Task<Answer> Get(string path) => Send(HttpMethod.Get, path, null, null);

    private async Task<Answer> Send(HttpMethod method, string path, string? json, string? contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var warnings = response.Headers.TryGetValues("Warning", out var w) ? w.ToList() : [];
        var body = text.TrimStart().StartsWith('{') ? (JsonObject)JsonNode.Parse(text)! : new JsonObject { ["text"] = text };
        return new Answer(response.StatusCode, body, warnings);
    }

    /// <summary>Creates a CRD for kind Thing (things.example.com, v1, namespaced, status subresource) with the given openAPIV3Schema.</summary>
    public async Task<Answer> CreateCrd(string openApiV3Schema)
    {
        var answer = await Post(CrdPath, CrdJson(openApiV3Schema));
        return answer;
    }

    public async Task InstallCrd(string openApiV3Schema)
    {
        var answer = await CreateCrd(openApiV3Schema);
        answer.Code.Should().Be(HttpStatusCode.Created, answer.Body.ToJsonString());
    }

    public static string CrdJson(string openApiV3Schema) => $$$"""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"things.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced",
           "names":{"plural":"things","singular":"thing","kind":"Thing","listKind":"ThingList"},
           "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
             "schema":{"openAPIV3Schema":{{{openApiV3Schema}}}}}]}}
        """;

    /// <summary>A root schema with the given spec properties (and a free-form status).</summary>
    public static string Root(string specProperties, string specExtra = "") =>
        "{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\"" + specExtra + ",\"properties\":{" + specProperties + "}},"
        + "\"status\":{\"type\":\"object\",\"properties\":{\"phase\":{\"type\":\"string\",\"enum\":[\"Ready\",\"Failed\"]},"
        + "\"count\":{\"type\":\"integer\",\"minimum\":0}}}}}";

    public static string Thing(string name, string spec) =>
        $$"""{"apiVersion":"example.com/v1","kind":"Thing","metadata":{"name":"{{name}}"},"spec":{{spec}}}""";

    public void Dispose() => _http.Dispose();
}
