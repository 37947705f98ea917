using System.CommandLine;
using k8s;
using Spectre.Console;

namespace WsPool.Cli;

/// <summary>
/// `wspool status [-n NS | -A] [POOL]` (also `kubectl wspool status` when installed as kubectl-wspool): the pools
/// with balancer, affinity, ready/desired replicas and connections; for one pool its pods' connections against the
/// per-pod target and limit, the last scaling decision and the conditions. Uses the kubeconfig's current context.
/// </summary>
internal static class StatusCommand
{
    /// <summary>The cluster could not be reached or refused the request.</summary>
    public const int ClusterError = 4;

    public static Command Create(CliIo io)
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig file (default: $KUBECONFIG or ~/.kube/config)." };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context (default: the current context)." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "The namespace (default: the context's namespace)." };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "List pools in every namespace." };
        var width = new Option<int>("--width") { Description = "Output width in columns.", DefaultValueFactory = _ => 140 };
        var pool = new Argument<string?>("POOL") { Description = "Show one pool in detail.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show WebSocketPools on the cluster: replicas, connections, scaling and conditions.")
        {
            kubeconfig, context, ns, all, width, pool,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(all) && result.GetValue(pool) is not null)
                result.AddError("--all-namespaces cannot be combined with a POOL name; use -n NAMESPACE POOL.");
        });
        command.SetAction((parse, cancellationToken) => RunAsync(io, parse.GetValue(kubeconfig), parse.GetValue(context),
            parse.GetValue(ns), parse.GetValue(all), parse.GetValue(pool), parse.GetValue(width), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliIo io, string? kubeconfigPath, string? context, string? ns, bool all,
        string? poolName, int width, CancellationToken cancellationToken)
    {
        KubernetesClientConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(
                kubeconfigPath ?? Environment.GetEnvironmentVariable("KUBECONFIG"), context);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or FileNotFoundException or IOException)
        {
            io.Error.WriteLine($"wspool: cannot load kubeconfig: {e.Message}");
            return ExitCodes.Usage;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(io.Out),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Math.Max(width, 40);
        console.Profile.Capabilities.Unicode = true;

        var namespaceToUse = ns ?? config.Namespace ?? "default";
        using var client = new Kubernetes(config);
        var reader = new PoolStatusReader(client);
        try
        {
            if (poolName is null)
            {
                var pools = await reader.ListAsync(all ? null : namespaceToUse, cancellationToken);
                if (pools.Count == 0)
                {
                    io.Out.WriteLine(all ? "No WebSocketPools found." : $"No WebSocketPools found in namespace {namespaceToUse}.");
                    return ExitCodes.Ok;
                }
                StatusView.PoolTable(console, pools);
                return ExitCodes.Ok;
            }

            var pool = await reader.GetAsync(namespaceToUse, poolName, cancellationToken);
            if (pool is null)
            {
                io.Error.WriteLine($"wspool: WebSocketPool {namespaceToUse}/{poolName} not found.");
                return ExitCodes.InvalidInput;
            }
            StatusView.PoolDetail(console, pool);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or TaskCanceledException)
        {
            var detail = e is k8s.Autorest.HttpOperationException h ? $"{(int)h.Response.StatusCode} {h.Response.ReasonPhrase}" : e.Message;
            io.Error.WriteLine($"wspool: cannot read WebSocketPools from {config.Host}: {detail}");
            return ClusterError;
        }
    }
}
