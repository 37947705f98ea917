namespace WsPool.Bench.Backend;

/// <summary>What one server measured: memory before and after holding the connections, and how fast it accepted them.</summary>
internal sealed record ServerFigures(
    string Server,
    int Connections,
    long IdleResidentBytes,
    long LoadedResidentBytes,
    long BytesPerIdleConnection,
    double AcceptsPerSecond,
    double AcceptsPerSecondMedian,
    IReadOnlyList<double> AcceptRounds,
    double HandshakeP50Ms,
    double HandshakeP99Ms,
    int Failed);
