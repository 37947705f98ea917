using System.Net;
using System.Text.Json.Nodes;
using static WsPool.KubeEmulator.Tests.PoolTables;

namespace WsPool.KubeEmulator.Tests;

/// <summary>
/// Custom resources in the Table representation (what kubectl get prints), with the shapes apiextensions-apiserver
/// 1.36 answers (tests/WsPool.Install.Tests/RealServer/TableOnRealServerTests compares the two directly).
/// </summary>
public sealed class TableTests
{
    private static JsonObject Status() => JsonNode.Parse("""
        {"readyReplicas":2,"desiredReplicas":3,"connections":{"total":120},
         "rollout":{"phase":"Draining","oldConnections":40,"reconnectsPerSecond":2.5}}
        """)!.AsObject();

    [Fact]
    public async Task A_list_answers_the_name_column_then_the_crd_printer_columns_in_order()
    {
        await using var pools = await StartAsync();
        pools.CreatePool("web", Status());

        var (code, table) = await pools.GetTableAsync(PoolsPath);

        code.Should().Be(HttpStatusCode.OK);
        table["kind"]!.GetValue<string>().Should().Be("Table");
        table["apiVersion"]!.GetValue<string>().Should().Be("meta.k8s.io/v1");
        ColumnNames(table).Should().Equal("Name", "Balancer", "Affinity", "Ready", "Desired", "Connections", "Rollout", "Old-Conns", "Moves/s", "Age");
        Cells(table).ToJsonString().Should().Be("""["web","HAProxy","None",2,3,120,"Draining",40,2.5,"0s"]""");
    }

    [Fact]
    public async Task Wide_columns_keep_their_priority_and_every_definition_its_type_and_description()
    {
        await using var pools = await StartAsync();

        var (_, table) = await pools.GetTableAsync(PoolsPath);

        var byName = table["columnDefinitions"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!.AsObject());
        byName["Old-Conns"]["priority"]!.GetValue<long>().Should().Be(1);
        byName["Moves/s"]["priority"]!.GetValue<long>().Should().Be(1);
        byName["Moves/s"]["type"]!.GetValue<string>().Should().Be("number");
        byName["Ready"]["priority"]!.GetValue<long>().Should().Be(0);
        byName["Ready"]["description"]!.GetValue<string>().Should().Be("Backend pods that are ready.");
        byName["Name"]["format"]!.GetValue<string>().Should().Be("name");
        byName["Age"]["description"]!.GetValue<string>().Should().Be("Custom resource definition column (in JSONPath format): .metadata.creationTimestamp");
        table["rows"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_field_the_object_lacks_gives_a_null_cell()
    {
        await using var pools = await StartAsync();
        pools.CreatePool("fresh");

        var (_, table) = await pools.GetTableAsync(PoolsPath);

        Cell(table, "Ready").Should().BeNull();
        Cell(table, "Rollout").Should().BeNull();
        Cells(table).ToJsonString().Should().Be("""["fresh","HAProxy","None",null,null,null,null,null,null,"0s"]""");
    }

    [Fact]
    public async Task A_date_column_gives_the_age_on_the_emulator_clock()
    {
        await using var pools = await StartAsync();
        pools.CreatePool("old");
        pools.Time.Advance(TimeSpan.FromMinutes(7) + TimeSpan.FromSeconds(5));

        var (_, table) = await pools.GetTableAsync(PoolsPath);

        Cell(table, "Age")!.GetValue<string>().Should().Be("7m5s");
    }

    [Fact]
    public async Task Get_of_one_object_answers_a_table_with_one_row_at_its_resource_version()
    {
        await using var pools = await StartAsync();
        pools.CreatePool("one", Status());

        var (code, table) = await pools.GetTableAsync($"{PoolsPath}/one");

        code.Should().Be(HttpStatusCode.OK);
        table["rows"]!.AsArray().Should().ContainSingle();
        Cell(table, "Balancer")!.GetValue<string>().Should().Be("HAProxy");
        var rv = pools.Api.Store.GetJson(pools.Api.Store.Resolve("wspool.dev/v1alpha1", "WebSocketPool"), "default", "one")!["metadata"]!["resourceVersion"]!.GetValue<string>();
        table["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be(rv);
    }

    [Theory]
    [InlineData("", "PartialObjectMetadata")]
    [InlineData("?includeObject=Metadata", "PartialObjectMetadata")]
    [InlineData("?includeObject=Object", "WebSocketPool")]
    public async Task Include_object_decides_what_each_row_carries(string query, string kind)
    {
        await using var pools = await StartAsync();
        pools.CreatePool("web", Status());

        var (_, table) = await pools.GetTableAsync(PoolsPath + query);

        var row = table["rows"]![0]!["object"]!;
        row["kind"]!.GetValue<string>().Should().Be(kind);
        row["metadata"]!["name"]!.GetValue<string>().Should().Be("web");
        row.AsObject().ContainsKey("spec").Should().Be(kind == "WebSocketPool");
    }

    [Fact]
    public async Task Include_object_none_leaves_each_row_object_null()
    {
        await using var pools = await StartAsync();
        pools.CreatePool("web");

        var (_, table) = await pools.GetTableAsync(PoolsPath + "?includeObject=None");

        table["rows"]![0]!.AsObject().TryGetPropertyValue("object", out var obj).Should().BeTrue();
        obj.Should().BeNull();
    }

    [Fact]
    public async Task An_unknown_include_object_is_a_bad_request()
    {
        await using var pools = await StartAsync();

        var (code, status) = await pools.GetTableAsync(PoolsPath + "?includeObject=Everything");

        code.Should().Be(HttpStatusCode.BadRequest);
        status["message"]!.GetValue<string>().Should().Be(
            "Unable to convert to Table as requested: includeObject: Invalid value: \"Everything\": must be 'Metadata', 'Object', 'None', or empty");
    }

    [Fact]
    public async Task A_crd_version_without_printer_columns_gets_the_servers_age_column()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        using var raw = new RawApi(api);
        await raw.InstallCrd(RawApi.Root("\"replicas\":{\"type\":\"integer\"}"));
        await raw.Post(RawApi.ThingsPath, """{"apiVersion":"example.com/v1","kind":"Thing","metadata":{"name":"t"}}""");
        using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, RawApi.ThingsPath);
        request.Headers.TryAddWithoutValidation("Accept", TableAccept);

        using var response = await http.SendAsync(request);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        ColumnNames(table).Should().Equal("Name", "Age");
        table["columnDefinitions"]![1]!["type"]!.GetValue<string>().Should().Be("date");
        table["columnDefinitions"]![1]!["description"]!.GetValue<string>().Should().StartWith("CreationTimestamp is a timestamp representing the server time");
        Cells(table)[0]!.GetValue<string>().Should().Be("t");
    }

    [Fact]
    public async Task Built_in_resources_stay_plain_json_for_kubectl_to_print()
    {
        await using var pools = await StartAsync();

        var (code, list) = await pools.GetTableAsync("/api/v1/namespaces/default/configmaps");

        code.Should().Be(HttpStatusCode.OK);
        list["kind"]!.GetValue<string>().Should().Be("ConfigMapList");
    }

    [Fact]
    public async Task A_table_watch_sends_one_row_tables_with_the_columns_only_in_the_first_event()
    {
        await using var pools = await StartAsync();
        pools.CreatePool("web");
        using var deadline = new CancellationTokenSource(Support.Wait);
        using var reader = await pools.WatchTableAsync(PoolsPath + "?watch=true&includeObject=None", deadline.Token);

        var added = JsonNode.Parse((await reader.ReadLineAsync(deadline.Token))!)!.AsObject();
        pools.CreatePool("second", Status());
        var next = JsonNode.Parse((await reader.ReadLineAsync(deadline.Token))!)!.AsObject();

        added["type"]!.GetValue<string>().Should().Be("ADDED");
        ColumnNames(added["object"]!.AsObject()).Should().StartWith(["Name", "Balancer"]);
        Cells(added["object"]!.AsObject()).ToJsonString().Should().Be("""["web","HAProxy","None",null,null,null,null,null,null,"0s"]""");
        next["object"]!["kind"]!.GetValue<string>().Should().Be("Table");
        next["object"]!["columnDefinitions"].Should().BeNull();
        Cells(next["object"]!.AsObject())[0]!.GetValue<string>().Should().Be("second");
    }
}
