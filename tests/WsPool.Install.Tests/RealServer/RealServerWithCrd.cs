using WsPool.Install.Tests.Support;

namespace WsPool.Install.Tests.RealServer;

/// <summary>
/// One real apiextensions-apiserver (Kubernetes 1.36) for a test collection, with the WebSocketPool CRD installed
/// by the README's command and established.
/// </summary>
public sealed class RealServerWithCrd : IAsyncLifetime
{
    public RealCrdServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RealCrdServer.StartAsync();
        var apply = await Server.KubectlAsync("apply", "--server-side", "-k", Repo.Path("crds"));
        if (apply.ExitCode != 0) throw new InvalidOperationException($"the CRD did not install:\n{apply}");
        await Server.WaitForEstablishedAsync("websocketpools.wspool.dev");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class RealServerCollection : ICollectionFixture<RealServerWithCrd>
{
    public const string Name = "real CRD server with the WebSocketPool CRD";
}
