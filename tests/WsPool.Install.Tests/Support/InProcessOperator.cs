using System.Net;
using Microsoft.AspNetCore.Builder;
using WsPool.KubeEmulator;
using WsPool.Operator.Hosting;
using WsPool.Testing;

namespace WsPool.Install.Tests.Support;

/// <summary>The real operator host, in this process, reconciling against an emulator (no leader election).</summary>
internal sealed class InProcessOperator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessOperator(WebApplication app, int healthPort, int metricsPort)
    {
        _app = app;
        HealthPort = healthPort;
        MetricsPort = metricsPort;
    }

    public int HealthPort { get; }
    public int MetricsPort { get; }

    public static async Task<InProcessOperator> StartAsync(KubeApiEmulator api)
    {
        var ports = FreePort.NextDistinct(2);
        var (health, metrics) = (ports[0], ports[1]);
        var options = new OperatorOptions
        {
            BindAddress = IPAddress.Loopback.ToString(),
            HealthPort = health,
            MetricsPort = metrics,
            LeaderElection = false,
            ExitOnLeadershipLoss = false,
            LeaseNamespace = "default",
        };
        var app = OperatorHost.Build([], options, api.ClientConfiguration, logging => { });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        return new InProcessOperator(app, health, metrics);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await _app.StopAsync(timeout.Token); }
        catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
