using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using WsPool.Install.Tests.Support;
using WsPool.KubeEmulator;

namespace WsPool.Install.Tests.RealServer;

/// <summary>
/// kubectl get's Table for WebSocketPools, from the real Kubernetes 1.36 apiextensions-apiserver and from the
/// emulator, for the same CRD and the same pools: the same column definitions and the same cells (the Age cell and
/// the row objects' uid, resourceVersion and timestamps aside).
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class TableOnRealServerTests(RealServerWithCrd real) : IAsyncLifetime
{
    private const string TableAccept =
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    private const string Pools = "/apis/wspool.dev/v1alpha1/namespaces/default/websocketpools";
    private const string Selector = "labelSelector=wspool-test%3Dtable";

    private KubeApiEmulator _emulator = null!;
    private HttpClient _real = null!;
    private HttpClient _emulated = null!;

    public async Task InitializeAsync()
    {
        _emulator = await KubeApiEmulator.StartAsync();
        _emulator.Store.ApplyYaml(await File.ReadAllTextAsync(Repo.Path("crds", "websocketpools.wspool.dev.yaml")));
        _real = real.Server.CreateHttpClient();
        _emulated = new HttpClient { BaseAddress = new Uri(_emulator.Url) };
        foreach (var http in new[] { _real, _emulated })
        {
            await CreatePoolAsync(http, "table-busy", """
                {"status":{"readyReplicas":2,"desiredReplicas":3,"connections":{"total":120},
                  "rollout":{"phase":"Draining","oldConnections":40,"reconnectsPerSecond":2.5}}}
                """);
            await CreatePoolAsync(http, "table-fresh", status: null);
        }
    }

    public async Task DisposeAsync()
    {
        _real.Dispose();
        _emulated.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task The_column_definitions_are_the_real_servers()
    {
        var real = await GetTableAsync(_real, $"{Pools}?{Selector}");
        var emulated = await GetTableAsync(_emulated, $"{Pools}?{Selector}");

        emulated["columnDefinitions"]!.ToJsonString().Should().Be(real["columnDefinitions"]!.ToJsonString());
        emulated["kind"]!.ToJsonString().Should().Be(real["kind"]!.ToJsonString());
        emulated["apiVersion"]!.ToJsonString().Should().Be(real["apiVersion"]!.ToJsonString());
    }

    [Fact]
    public async Task The_cells_are_the_real_servers_with_null_for_a_missing_field()
    {
        var real = await GetTableAsync(_real, $"{Pools}?{Selector}");
        var emulated = await GetTableAsync(_emulated, $"{Pools}?{Selector}");

        CellsWithoutAge(emulated).Should().Equal(CellsWithoutAge(real));
        CellsWithoutAge(real).Should().Contain(row => row.StartsWith("[\"table-fresh\",\"HAProxy\",\"None\",null"), "the fresh pool has no status");
    }

    [Theory]
    [InlineData("")]
    [InlineData("&includeObject=Metadata")]
    [InlineData("&includeObject=Object")]
    [InlineData("&includeObject=None")]
    public async Task Each_row_object_has_the_real_servers_shape(string include)
    {
        var real = await GetTableAsync(_real, $"{Pools}?{Selector}{include}");
        var emulated = await GetTableAsync(_emulated, $"{Pools}?{Selector}{include}");

        RowObjects(emulated).Should().Equal(RowObjects(real));
    }

    [Fact]
    public async Task Get_of_one_pool_is_a_one_row_table_like_the_real_servers()
    {
        var real = await GetTableAsync(_real, $"{Pools}/table-busy");
        var emulated = await GetTableAsync(_emulated, $"{Pools}/table-busy");

        emulated["columnDefinitions"]!.ToJsonString().Should().Be(real["columnDefinitions"]!.ToJsonString());
        CellsWithoutAge(emulated).Should().Equal(CellsWithoutAge(real));
        RowObjects(emulated).Should().Equal(RowObjects(real));
        emulated["metadata"]!.AsObject().Select(p => p.Key).Should().Equal(real["metadata"]!.AsObject().Select(p => p.Key));
    }

    private static async Task CreatePoolAsync(HttpClient http, string name, string? status)
    {
        var pool = """
            {"apiVersion":"wspool.dev/v1alpha1","kind":"WebSocketPool",
             "metadata":{"name":"NAME","namespace":"default","labels":{"wspool-test":"table"}},
             "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"app","image":"ghcr.io/example/app:1.0.0",
               "ports":[{"name":"ws","containerPort":8080}]}]}}}}
            """.Replace("NAME", name);
        await SendAsync(http, HttpMethod.Patch, $"{Pools}/{name}?fieldManager=kubectl", pool, "application/apply-patch+yaml");
        if (status is not null)
            await SendAsync(http, HttpMethod.Patch, $"{Pools}/{name}/status", status, "application/merge-patch+json");
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, string body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.SendAsync(request);
        response.IsSuccessStatusCode.Should().BeTrue($"{method} {path}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonObject> GetTableAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", TableAccept);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"GET {path}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Each row's cells as JSON, sorted by name, with the Age cell (the last, a duration since creation) left out.</summary>
    private static IReadOnlyList<string> CellsWithoutAge(JsonObject table)
    {
        var age = table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList().IndexOf("Age");
        return table["rows"]!.AsArray()
            .Select(r => new JsonArray(r!["cells"]!.AsArray().Where((_, i) => i != age).Select(c => c?.DeepClone()).ToArray()))
            .Select(c => c.ToJsonString())
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Each row's object with what differs between two servers by nature (uid, versions, times, managedFields) taken out.</summary>
    private static IReadOnlyList<string> RowObjects(JsonObject table) =>
        table["rows"]!.AsArray()
            .Select(r => r!["object"] is JsonObject o ? Comparable(o) : "null")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string Comparable(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        if (copy["metadata"] is JsonObject meta)
            foreach (var key in new[] { "uid", "resourceVersion", "creationTimestamp", "managedFields" })
                meta.Remove(key);
        return Canonical(copy)!.ToJsonString();
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        _ => node?.DeepClone(),
    };
}
