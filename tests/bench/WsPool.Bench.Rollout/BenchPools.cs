namespace WsPool.Bench.Rollout;

/// <summary>
/// Every pool setting of the benchmark, in one place, so the figures can be re-measured with other settings by
/// editing this file only. The pools are YAML, as a user writes them, checked by the same loader as `wspool validate`.
/// </summary>
public static class BenchPools
{
    public const string Namespace = "bench";
    public const string Name = "bench";
    public const int Pods = 4;
    public const string RevisionVariable = "BENCH_REVISION";

    /// <summary>The bound for the connection-aware rollout (spec.rollout.maxReconnectsPerSecond).</summary>
    public const int MaxReconnectsPerSecond = 40;

    /// <summary>The container, as the template has it and as the rollout's patch replaces it (only the revision differs).</summary>
    public static string ContainerJson(int revision) =>
        $$$"""{"name":"chat-server","image":"ghcr.io/wspool/chat-server:0.1.0","ports":[{"name":"ws","containerPort":8080}],"env":[{"name":"{{{RevisionVariable}}}","value":"{{{revision}}}"}]}""";

    /// <summary>The merge patch that changes the pod template: a new value of one env var, i.e. a new revision.</summary>
    public static string TemplatePatch(int revision) =>
        $$$$$"""{"spec":{"template":{"spec":{"containers":[{{{{{ContainerJson(revision)}}}}}]}}}}""";

    /// <summary>
    /// The merge patch for a scale-out with scaling on: minReplicas up by one. maxReplicas stays: it sizes HAProxy's
    /// server-template slots, so changing it rewrites the balancer's config and rolls the balancer pod, which drops
    /// every client connection (measured: all 2,000 clients lost and refused).
    /// </summary>
    public static string ScaleOutPatch(int pods) => $$$"""{"spec":{"minReplicas":{{{pods}}}}}""";

    /// <summary>
    /// The rollout pool: fixed replicas (scaling off), cookie affinity through the managed HAProxy; the strategy is
    /// RollingUpdate (the baseline: the plain Deployment rolling update) or ConnectionAware with the bound.
    /// </summary>
    public static string RolloutPool(string strategy) => Common(target: 1000) + $"""
          replicas: {Pods}
          minReplicas: {Pods}
          maxReplicas: {Pods * 2}
          scaling:
            enabled: false

          rollout:
            strategy: {strategy}
        """ + (strategy == "ConnectionAware" ? $"""

            maxReconnectsPerSecond: {MaxReconnectsPerSecond}
        """ : "") + "\n";

    /// <summary>
    /// The scale-out pool: scaling on, minReplicas 4 and room above it, rebalancing on or off toward max/min ≤ 1.5.
    /// connections.target 420 with a 25% tolerance keeps the autoscaler at 4 pods for 2,000 clients (4.76 → 5 is
    /// within 25% of 4), so only the benchmark's minReplicas raise adds the fifth pod.
    /// </summary>
    public static string ScaleOutPool(bool rebalance) => Common(target: 420) + $"""
          minReplicas: {Pods}
          maxReplicas: {Pods * 2}
          scaling:
            enabled: true
            pollInterval: 1s
            tolerancePercent: 25
            prewarm:
              pods: 0
              percent: 0
              rateAware: false
            rebalance:
              enabled: {(rebalance ? "true" : "false")}
              maxToMinPercent: 150
              window: 5s
              maxShedPercentPerMinute: 25
              batchSize: 50
        """ + "\n";

    // connections.limit 2000: no pod refuses a reconnect burst during a drain for being full.
    private static string Common(int target) => $"""
        apiVersion: wspool.dev/v1alpha1
        kind: WebSocketPool
        metadata:
          name: {Name}
          namespace: {Namespace}
        spec:
          template:
            spec:
              containers:
                - {ContainerJson(1)}
          port: ws
          path: /ws
          connections:
            target: {target}
            limit: 2000
          affinity:
            type: Cookie
            cookie:
              name: BENCH
          timeouts:
            tunnel: 1h
          drain:
            timeout: 10s
            preStopDelay: 1s
          balancer:
            type: HAProxy
            replicas: 1

        """;
}
