using System.Globalization;
using k8s.Models;
using WsPool.Core.Api;

namespace WsPool.Core.Rendering;

/// <summary>
/// The environment contract between wspool and a backend container: what the operator tells every backend
/// container through environment variables. Backends read these names; keep them stable.
/// </summary>
public static class BackendEnv
{
    /// <summary>The pod's own name (downward API), for logs and per-pod metrics.</summary>
    public const string PodName = "WSPOOL_POD_NAME";
    /// <summary>spec.path: where clients open WebSockets.</summary>
    public const string WsPath = "WSPOOL_WS_PATH";
    /// <summary>spec.connections.limit: the hard cap the pod may enforce itself too (decimal integer).</summary>
    public const string ConnectionLimit = "WSPOOL_CONNECTION_LIMIT";
    /// <summary>spec.drain.timeout as written in the spec (a duration such as 60s or 1m30s).</summary>
    public const string DrainTimeout = "WSPOOL_DRAIN_TIMEOUT";
    /// <summary>The managed Redis password, from the generated Secret; the broker URL refers to it.</summary>
    public const string RedisPassword = "WSPOOL_REDIS_PASSWORD";

    /// <summary>
    /// The variables of the contract for this pool, in order. Order matters: Kubernetes expands <c>$(VAR)</c> in a
    /// value only from variables defined earlier in the list, so the Redis password precedes the URL built from it.
    /// </summary>
    public static IReadOnlyList<V1EnvVar> For(WebSocketPool pool)
    {
        var spec = pool.Spec ?? new WebSocketPoolSpec();
        var names = PoolNames.Of(pool);
        var variables = new List<V1EnvVar>
        {
            new() { Name = PodName, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new() { Name = WsPath, Value = spec.Path ?? "/ws" },
            new() { Name = ConnectionLimit, Value = (spec.Connections?.Limit ?? new ConnectionsSpec().Limit).ToString(CultureInfo.InvariantCulture) },
            new() { Name = DrainTimeout, Value = spec.Drain?.Timeout ?? new DrainSpec().Timeout },
        };
        variables.AddRange(BrokerVariables(spec.Broker, names));
        return variables;
    }

    private static IEnumerable<V1EnvVar> BrokerVariables(BrokerSpec? broker, PoolNames names)
    {
        var urlVariable = string.IsNullOrEmpty(broker?.EnvVar) ? new BrokerSpec().EnvVar : broker.EnvVar;
        switch (broker?.Type)
        {
            case BrokerType.Managed:
                yield return new V1EnvVar
                {
                    Name = RedisPassword,
                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = names.RedisSecret, Key = BrokerRenderer.PasswordKey } },
                };
                // The operator generates the password from a URL-safe alphabet, so it needs no escaping here. The
                // user is named: Redis 6+ calls the password-only user "default", and some clients (redis-cli
                // among them) send an empty user name from `redis://:password@` and are refused.
                yield return new V1EnvVar { Name = urlVariable, Value = $"redis://{BrokerRenderer.RedisUser}:$({RedisPassword})@{BrokerRenderer.ServiceHost(names)}:{BrokerRenderer.RedisPort}" };
                break;
            case BrokerType.External when broker.External is { } external:
                yield return new V1EnvVar
                {
                    Name = urlVariable,
                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = external.Name, Key = string.IsNullOrEmpty(external.Key) ? "url" : external.Key } },
                };
                break;
        }
    }

    /// <summary>
    /// Appends each contract variable the container does not already define. A variable the user set by name
    /// wins: they may point the broker elsewhere or pass the drain timeout differently.
    /// </summary>
    internal static void AppendTo(V1Container container, IReadOnlyList<V1EnvVar> contract)
    {
        container.Env ??= new List<V1EnvVar>();
        var taken = container.Env.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var variable in contract)
        {
            if (taken.Add(variable.Name))
                container.Env.Add(ObjectCopy.Deep(variable));
        }
    }
}
