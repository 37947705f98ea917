using ChatServer;

// The wspool reference backend. Settings: README.md. Exit codes: 0 after a drain or a clean stop, 2 on bad settings,
// 3 when a port is already taken.
try
{
    var builder = WebApplication.CreateBuilder(args);
    var settings = ChatSettings.From(builder.Configuration);
    var urls = ListenUrls.From(builder.Configuration, settings.AdminPort);
    if (settings.RedisUrl is not null) RedisUrl.Parse(settings.RedisUrl); // fail fast on a malformed URL
    builder.WebHost.UseUrls(urls.All.ToArray());

    builder.Logging.ClearProviders();
    if (settings.LogFormat == "json")
        builder.Logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; });
    else
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.UseUtcTimestamp = true; o.TimestampFormat = "HH:mm:ss.fff "; });
    // One log line per HTTP request would drown the interesting ones at thousands of connections per second.
    builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

    // The host must wait for the whole drain window, not its default 30 seconds.
    builder.Services.Configure<HostOptions>(o =>
        o.ShutdownTimeout = settings.DrainTimeout + settings.CloseHandshakeTimeout + TimeSpan.FromSeconds(10));

    builder.Services.AddSingleton(settings);
    builder.Services.AddSingleton<ChatMetrics>();
    builder.Services.AddSingleton<ConnectionRegistry>();
    builder.Services.AddSingleton<ChatProtocol>();
    builder.Services.AddSingleton<ShedHold>();
    builder.Services.AddSingleton<ConnectionShedder>();
    builder.Services.AddSingleton<Broadcaster>();
    builder.Services.AddHostedService(s => s.GetRequiredService<Broadcaster>());
    builder.Services.AddSingleton<DrainCoordinator>();
    builder.Services.AddHostedService(s => s.GetRequiredService<DrainCoordinator>());

    var app = builder.Build();

    // The admin port is its own branch, chosen by the local port the request arrived on (never by the Host header).
    if (settings.AdminPort != 0)
        app.MapWhen(context => context.Connection.LocalPort == settings.AdminPort, AdminEndpoints.Configure);
    app.UseRouting();
    app.UseWebSockets();
    PublicEndpoints.Map(app, settings);

    app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
        "chat-server {Replica} listening on {Urls}, WebSocket path {Path}, admin {Admin}, limit {Limit}, drain {Drain}, keepalive {KeepAlive}, broker {Broker}",
        settings.ReplicaName, string.Join(";", urls.Main), settings.WebSocketPath,
        urls.Admin.Count > 0 ? string.Join(";", urls.Admin) : "off",
        settings.ConnectionLimit == 0 ? "none" : settings.ConnectionLimit, Duration.Format(settings.DrainTimeout),
        Duration.Format(settings.KeepAliveInterval), settings.RedisUrl is null ? "none" : RedisUrl.Redact(settings.RedisUrl)));

    await app.RunAsync();
    return 0;
}
catch (SettingsException e)
{
    Console.Error.WriteLine($"chat-server: {e.Message}");
    return 2;
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    // Another process holds a port we were told to use: say which, without a stack trace.
    Console.Error.WriteLine($"chat-server: {e.Message}");
    return 3;
}
