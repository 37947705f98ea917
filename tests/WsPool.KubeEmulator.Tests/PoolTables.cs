using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace WsPool.KubeEmulator.Tests;

/// <summary>
/// An emulator with the repository's WebSocketPool CRD (its printer columns) on a fake clock, pools made directly in
/// the store, and GETs that ask for the Table representation as kubectl does.
/// </summary>
internal sealed class PoolTables : IAsyncDisposable
{
    /// <summary>The Accept header kubectl get sends.</summary>
    public const string TableAccept =
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    public const string PoolsPath = "/apis/wspool.dev/v1alpha1/namespaces/default/websocketpools";

    private readonly HttpClient _http;

    private PoolTables(KubeApiEmulator api, FakeTimeProvider time)
    {
        Api = api;
        Time = time;
        _http = new HttpClient { BaseAddress = new Uri(api.Url) };
    }

    public KubeApiEmulator Api { get; }
    public FakeTimeProvider Time { get; }

    public static async Task<PoolTables> StartAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var api = await KubeApiEmulator.StartAsync(new EmulatorOptions { Time = time });
        api.Store.ApplyYaml(File.ReadAllText(Repository.Path("crds", "websocketpools.wspool.dev.yaml")));
        return new PoolTables(api, time);
    }

    /// <summary>A pool as a user writes it (the server defaults balancer and affinity), then the given status.</summary>
    public void CreatePool(string name, JsonObject? status = null)
    {
        Api.Store.CreateJson(JsonNode.Parse("""
            {"apiVersion":"wspool.dev/v1alpha1","kind":"WebSocketPool","metadata":{"name":"NAME","namespace":"default"},
             "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"app","image":"ghcr.io/example/app:1.0.0",
               "ports":[{"name":"ws","containerPort":8080}]}]}}}}
            """.Replace("NAME", name))!.AsObject());
        if (status is null) return;
        var stored = Api.Store.GetJson(Api.Store.Resolve("wspool.dev/v1alpha1", "WebSocketPool"), "default", name)!;
        stored["status"] = status;
        Api.Store.UpsertJson(stored, "status");
    }

    public async Task<(HttpStatusCode Code, JsonObject Body)> GetTableAsync(string pathAndQuery, string accept = TableAccept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>A watch asking for Tables; the caller reads lines from it with a deadline.</summary>
    public async Task<StreamReader> WatchTableAsync(string pathAndQuery, CancellationToken cancel)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.TryAddWithoutValidation("Accept", TableAccept);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        response.EnsureSuccessStatusCode();
        return new StreamReader(await response.Content.ReadAsStreamAsync(cancel));
    }

    public static string[] ColumnNames(JsonObject table) =>
        table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToArray();

    public static JsonArray Cells(JsonObject table, int row = 0) => table["rows"]![row]!["cells"]!.AsArray();

    /// <summary>The cell of the named column in the first row.</summary>
    public static JsonNode? Cell(JsonObject table, string column) => Cells(table)[Array.IndexOf(ColumnNames(table), column)];

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Api.DisposeAsync();
    }
}
