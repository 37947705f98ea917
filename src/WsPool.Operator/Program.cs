// The operator host. The controller runtime and the WebSocketPool reconciler arrive with the operator issue;
// until then the host starts, logs that it has nothing to reconcile, and waits for shutdown.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddHostedService<WsPool.Operator.IdleWorker>();
await builder.Build().RunAsync();
