using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Net;
using Spectre.Console;
using WsPool.Load;

// wsload: opens many WebSocket connections, holds them, reports what happened. README: examples/chat-server/README.md.
var url = new Argument<Uri>("url")
{
    Description = "ws:// or wss:// URL to connect to",
    CustomParser = r => Uri.TryCreate(r.Tokens[0].Value, UriKind.Absolute, out var u) && u.Scheme is "ws" or "wss"
        ? u : Fail<Uri>(r, $"url: '{r.Tokens[0].Value}' must be an absolute ws:// or wss:// URL"),
};
var connections = new Option<int>("--connections", "-c") { Description = "concurrent connections to open", DefaultValueFactory = _ => 100 };
var rate = new Option<double>("--rate", "-r") { Description = "new connections per second during the ramp (0: as fast as --concurrency allows)" };
var concurrency = new Option<int>("--concurrency") { Description = "most handshakes in flight at once", DefaultValueFactory = _ => 200 };
var hold = new Option<TimeSpan?>("--hold", "-d")
{
    Description = "how long to hold the connections after the ramp (e.g. 30s, 5m; 'forever' until Ctrl+C)",
    DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
    CustomParser = r => r.Tokens[0].Value == "forever" ? null : Duration(r, "--hold"),
};
var messageRate = new Option<double>("--message-rate", "-m") { Description = "messages per second per connection (0: none)" };
var messageKind = new Option<MessageKind>("--message-kind") { Description = "echo (round-trip latency) or broadcast", DefaultValueFactory = _ => MessageKind.Echo };
var messageSize = new Option<int>("--message-size") { Description = "bytes per message (padded)", DefaultValueFactory = _ => 32 };
var sources = new Option<IPAddress[]>("--source")
{
    Description = "local source address(es), repeat or use a range 127.0.0.1..127.0.0.8; connections go round-robin",
    AllowMultipleArgumentsPerToken = true,
    CustomParser = SourceAddresses,
};
var cookies = new Option<string>("--cookies")
{
    Description = "none | per-connection (keep the balancer's affinity cookie, reuse on reconnect) | shared",
    DefaultValueFactory = _ => "per-connection",
};
cookies.AcceptOnlyFromAmong("none", "per-connection", "shared");
var headers = new Option<string[]>("--header", "-H") { Description = "request header 'Name: value' ({i} = connection index); repeatable" };
var query = new Option<string?>("--query", "-q") { Description = "query string to add, e.g. room={i} ({i} = connection index)" };
var reconnect = new Option<bool>("--reconnect") { Description = "reconnect after an early close or failed connect, with jittered backoff" };
var reconnectMin = new Option<TimeSpan>("--reconnect-min") { Description = "smallest backoff ceiling", DefaultValueFactory = _ => TimeSpan.FromMilliseconds(100), CustomParser = r => Duration(r, "--reconnect-min") ?? TimeSpan.Zero };
var reconnectMax = new Option<TimeSpan>("--reconnect-max") { Description = "largest backoff ceiling", DefaultValueFactory = _ => TimeSpan.FromSeconds(5), CustomParser = r => Duration(r, "--reconnect-max") ?? TimeSpan.Zero };
var connectTimeout = new Option<TimeSpan>("--connect-timeout") { Description = "handshake timeout", DefaultValueFactory = _ => TimeSpan.FromSeconds(10), CustomParser = r => Duration(r, "--connect-timeout") ?? TimeSpan.Zero };
var insecure = new Option<bool>("--insecure", "-k") { Description = "accept any server certificate on wss:// (a self-signed test balancer; never a real service)" };
var noWhoAmI = new Option<bool>("--no-whoami") { Description = "do not ask /whoami after connecting (servers without the chat protocol)" };
var json = new Option<bool>("--json") { Description = "print only the JSON summary on stdout" };
var details = new Option<bool>("--details") { Description = "include each connection's replicas and close codes in the JSON" };
var seed = new Option<int?>("--seed") { Description = "seed for backoff jitter and message phases" };

var root = new RootCommand("wsload: open many WebSocket connections, hold them, and report opened/failed/closed counts, replicas and latency")
{
    url, connections, rate, concurrency, hold, messageRate, messageKind, messageSize, sources, cookies, headers, query,
    reconnect, reconnectMin, reconnectMax, connectTimeout, insecure, noWhoAmI, json, details, seed,
};

root.SetAction(async (parse, cancellationToken) =>
{
    var headerMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    foreach (var header in parse.GetValue(headers) ?? [])
    {
        var colon = header.IndexOf(':');
        if (colon <= 0)
        {
            Console.Error.WriteLine($"wsload: --header '{header}' must look like 'Name: value'");
            return 2;
        }
        headerMap[header[..colon].Trim()] = header[(colon + 1)..].Trim();
    }

    var options = new LoadOptions
    {
        Url = parse.GetValue(url)!,
        Connections = parse.GetValue(connections),
        ConnectRate = parse.GetValue(rate),
        ConnectConcurrency = parse.GetValue(concurrency),
        Hold = parse.GetValue(hold),
        MessageRate = parse.GetValue(messageRate),
        MessageKind = parse.GetValue(messageKind),
        MessageSize = parse.GetValue(messageSize),
        SourceAddresses = parse.GetValue(sources) ?? [],
        Cookies = parse.GetValue(cookies) switch { "none" => CookieMode.None, "shared" => CookieMode.Shared, _ => CookieMode.PerConnection },
        Headers = headerMap,
        Query = parse.GetValue(query),
        Reconnect = parse.GetValue(reconnect),
        ReconnectMinDelay = parse.GetValue(reconnectMin),
        ReconnectMaxDelay = parse.GetValue(reconnectMax),
        ConnectTimeout = parse.GetValue(connectTimeout),
        WhoAmI = !parse.GetValue(noWhoAmI),
        Insecure = parse.GetValue(insecure),
        KeepDetails = parse.GetValue(details),
        Seed = parse.GetValue(seed),
    };
    var problems = options.Validate();
    if (problems.Count > 0)
    {
        foreach (var problem in problems) Console.Error.WriteLine($"wsload: {problem}");
        return 2;
    }

    var asJson = parse.GetValue(json);
    var run = LoadRunner.Start(options);
    await using var stopOnCancel = cancellationToken.Register(run.Stop);
    if (!asJson && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
    {
        var clock = Stopwatch.StartNew();
        await AnsiConsole.Live(SummaryTable.Progress(options, run.Snapshot(), clock.Elapsed)).StartAsync(async live =>
        {
            while (!run.Completion.IsCompleted)
            {
                live.UpdateTarget(SummaryTable.Progress(options, run.Snapshot(), clock.Elapsed));
                await Task.WhenAny(run.Completion, Task.Delay(250, CancellationToken.None));
            }
        });
    }
    var summary = await run.Completion;
    await run.DisposeAsync();

    if (asJson) Console.Out.WriteLine(SummaryJson.Serialize(summary));
    else AnsiConsole.Write(SummaryTable.Summary(summary));
    return summary.Opened > 0 ? 0 : 1;
});

return await root.Parse(args).InvokeAsync();

static T Fail<T>(ArgumentResult result, string message)
{
    result.AddError(message);
    return default!;
}

static TimeSpan? Duration(ArgumentResult result, string name)
{
    var text = result.Tokens[0].Value;
    if (Durations.TryParse(text, out var value)) return value;
    result.AddError($"{name}: '{text}' must be a duration like 500ms, 30s or 1m30s");
    return null;
}

static IPAddress[] SourceAddresses(ArgumentResult result)
{
    var addresses = new List<IPAddress>();
    foreach (var token in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)))
    {
        var range = token.Split("..");
        if (range.Length == 2 && IPAddress.TryParse(range[0], out var first) && IPAddress.TryParse(range[1], out var last)
            && first.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && last.AddressFamily == first.AddressFamily)
        {
            var from = BitConverter.ToUInt32(first.GetAddressBytes().Reverse().ToArray());
            var to = BitConverter.ToUInt32(last.GetAddressBytes().Reverse().ToArray());
            if (to < from || to - from > 255)
            {
                result.AddError($"--source: '{token}' must be an ascending range of at most 256 addresses");
                return [];
            }
            for (var a = from; a <= to; a++) addresses.Add(new IPAddress(BitConverter.GetBytes(a).Reverse().ToArray()));
        }
        else if (IPAddress.TryParse(token, out var single))
        {
            addresses.Add(single);
        }
        else
        {
            result.AddError($"--source: '{token}' is not an IP address or a range like 127.0.0.1..127.0.0.8");
            return [];
        }
    }
    return addresses.ToArray();
}
