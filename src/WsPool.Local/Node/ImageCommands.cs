using System.Globalization;
using k8s.Models;
using WsPool.Local.Tools;

namespace WsPool.Local.Node;

/// <summary>What the local node runs for a container, decided by its image.</summary>
public enum ContainerKind
{
    /// <summary><c>ghcr.io/wspool/chat-server:*</c>: <c>dotnet chat-server.dll</c>, bound to the pod's address.</summary>
    ChatServer,
    /// <summary><c>haproxy:*</c>: the real HAProxy, master-worker (<c>-W -db</c>), reloaded by SIGUSR2.</summary>
    HAProxy,
    /// <summary><c>nginx:*</c>: the real NGINX in the foreground, reloaded by SIGHUP.</summary>
    Nginx,
    /// <summary><c>redis:*</c>: redis-server bound to the pod's address.</summary>
    Redis,
    /// <summary>An image given a command with <c>--run IMAGE=COMMAND</c>.</summary>
    Mapped,
    /// <summary>
    /// A sidecar of a balancer pod that runs a shell script in the balancer's image (the managed NGINX's config
    /// reloader): not run, because the node itself reloads the balancer when its mounted config changes.
    /// </summary>
    NodeReloader,
}

/// <summary>How to start one container here: the program, its arguments, extra variables and the configs it reads.</summary>
internal sealed record ContainerCommand(
    ContainerKind Kind,
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    IReadOnlyList<BalancerConfig> Configs);

/// <summary>
/// Images → commands. Built in: the sample backend, HAProxy, NGINX and Redis (found through
/// <see cref="LocalTools"/>), so every pod the operator renders for the examples runs as it is. Anything else needs a
/// <c>--run IMAGE=COMMAND</c> (<see cref="ImageMapping"/>), which also wins over a built-in. The container's
/// <c>args</c> follow the command (they replace an image's CMD); its <c>command</c> is honoured for HAProxy, NGINX and
/// Redis (its first word names the binary), and ignored for the chat server and mapped images, whose command stands
/// in for the image's entrypoint. <c>$(VAR)</c> is expanded and every mount path is rewritten to its pod directory.
/// </summary>
internal sealed class ImageCommands
{
    public const string ChatServerImage = "ghcr.io/wspool/chat-server";

    private static readonly string[] Shells = ["sh", "bash", "ash", "dash"];

    private readonly IReadOnlyList<ImageMapping> _mappings;
    private readonly string? _chatServerDll;
    private readonly string _userDirectory = Environment.CurrentDirectory;

    public ImageCommands(LocalNodeOptions options)
    {
        _mappings = options.Run.Select(ImageMapping.Parse).ToList();
        _chatServerDll = options.ChatServerDll;
    }

    /// <summary>The kind of a container, or null when its image has no command here.</summary>
    public ContainerKind? KindOf(V1Container container)
    {
        var image = container.Image ?? "";
        if (_mappings.Any(m => m.Matches(image))) return ContainerKind.Mapped;
        ContainerKind? kind = ImageMapping.Repository(image) switch
        {
            ChatServerImage => ContainerKind.ChatServer,
            "haproxy" or "haproxytech/haproxy-alpine" or "haproxytech/haproxy-debian" => ContainerKind.HAProxy,
            "nginx" or "nginxinc/nginx-unprivileged" => ContainerKind.Nginx,
            "redis" => ContainerKind.Redis,
            _ => null,
        };
        if (kind is ContainerKind.HAProxy or ContainerKind.Nginx && container.Command is [var first, ..] && Shells.Contains(Path.GetFileName(first)))
            return ContainerKind.NodeReloader;
        return kind;
    }

    /// <summary>The container's first containerPort: what <c>$PORT</c> means and where the chat server listens.</summary>
    public static int? FirstPort(V1Container container) => container.Ports?.FirstOrDefault()?.ContainerPort;

    /// <summary>What the ImageNotMapped event says: the exact option to pass.</summary>
    public static string UnmappedMessage(V1Container container)
    {
        var image = container.Image ?? "";
        var port = FirstPort(container);
        return $"No local command for image {image} (container {container.Name}): pass " +
               $"--run '{image}={{command listening on $POD_IP:$PORT}}' to wspool local up, e.g. " +
               $"--run '{image}=python3 -m http.server --bind $POD_IP $PORT'; $POD_IP is the pod's address, $PORT " +
               (port is null ? "its first containerPort (it has none)" : $"its first containerPort ({port.Value.ToString(CultureInfo.InvariantCulture)})") +
               ". Built in: ghcr.io/wspool/chat-server, haproxy, nginx, redis.";
    }

    /// <param name="container">The container as the pod declares it.</param>
    /// <param name="kind">From <see cref="KindOf"/>.</param>
    /// <param name="podIP">The pod's address.</param>
    /// <param name="environment">The container's resolved variables, for <c>$(VAR)</c>.</param>
    /// <param name="mounts">The container's mounts.</param>
    /// <param name="podDirectory">The pod's directory.</param>
    /// <exception cref="MissingSourceException">Something the command needs is not there yet (the chat server's build, a mounted config).</exception>
    public ContainerCommand Build(V1Container container, ContainerKind kind, string podIP,
        IReadOnlyList<KeyValuePair<string, string>> environment, MountMap mounts, string podDirectory)
    {
        var variables = environment.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        string Word(string word) => mounts.Rewrite(PodEnvironment.Expand(word, name => variables.GetValueOrDefault(name)));
        var args = (container.Args ?? []).Select(Word).ToList();
        var port = FirstPort(container);
        var containerDirectory = Path.Combine(podDirectory, "containers", container.Name);
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        var configs = new List<BalancerConfig>();

        switch (kind)
        {
            case ContainerKind.Mapped:
            {
                var mapping = _mappings.First(m => m.Matches(container.Image ?? ""));
                var words = mapping.CommandFor(podIP, port).Select(Word).Concat(args).ToList();
                return new ContainerCommand(kind, words[0], words.Skip(1).ToList(), extra, _userDirectory, configs);
            }
            case ContainerKind.ChatServer:
            {
                var dll = ChatServerBuild.Locate(_chatServerDll) ?? throw new MissingSourceException("CreateContainerError",
                    _chatServerDll is not null
                        ? $"the chat server's dll {_chatServerDll} (ChatServerDll) does not exist"
                        : "chat-server.dll is not built: run `dotnet build examples/chat-server -c Release`, or give the node its path (ChatServerDll)");
                // Kestrel binds the pod's address only, so every chat pod can use the same port; the admin port
                // (WSPOOL_ADMIN_PORT, default 9091) follows the same host (ListenUrls), so it binds the pod's address too.
                extra["ASPNETCORE_URLS"] = $"http://{podIP}:{(port ?? 8080).ToString(CultureInfo.InvariantCulture)}";
                return new ContainerCommand(kind, ChatServerBuild.DotnetHost(), [dll, .. args], extra, containerDirectory, configs);
            }
            case ContainerKind.HAProxy:
            {
                // The official image's default command; its entrypoint adds -W -db, as the rendered command has.
                var words = (container.Command ?? ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]).Select(Word).Concat(args).ToList();
                words = [LocalTools.Require(LocalTools.HAProxy), .. words.Skip(1)];
                // Master-worker mode is what makes SIGUSR2 a reload; -db keeps it in the foreground, as the node needs.
                if (!words.Contains("-W") && !words.Contains("-Ws")) words.Insert(1, "-W");
                if (!words.Contains("-db")) words.Insert(1, "-db");
                RewriteConfigArguments(words, "-f", kind, mounts, podIP, podDirectory, containerDirectory, configs);
                return new ContainerCommand(kind, words[0], words.Skip(1).ToList(), extra, containerDirectory, configs);
            }
            case ContainerKind.Nginx:
            {
                var words = (container.Command ?? ["nginx", "-g", "daemon off;"]).Select(Word).Concat(args).ToList();
                words = [LocalTools.Require(LocalTools.Nginx), .. words.Skip(1)];
                RewriteConfigArguments(words, "-c", kind, mounts, podIP, podDirectory, containerDirectory, configs);
                // The prefix holds NGINX's default relative paths (temp dirs, logs) inside the pod directory; early
                // errors go to stderr, i.e. the container log, never to the system's /var/log.
                var prefix = Path.Combine(podDirectory, "nginx") + "/";
                Directory.CreateDirectory(prefix);
                words.InsertRange(1, ["-p", prefix]);
                if (!words.Contains("-e")) words.InsertRange(1, ["-e", "stderr"]);
                var global = words.IndexOf("-g");
                if (global < 0) words.AddRange(["-g", "daemon off;"]);
                else if (global + 1 < words.Count && !words[global + 1].Contains("daemon", StringComparison.Ordinal)) words[global + 1] += " daemon off;";
                return new ContainerCommand(kind, words[0], words.Skip(1).ToList(), extra, containerDirectory, configs);
            }
            case ContainerKind.Redis:
            {
                var words = (container.Command ?? ["redis-server"]).Select(Word).Concat(args).ToList();
                if (words is ["docker-entrypoint.sh", ..]) words.RemoveAt(0);
                if (words.Count == 0 || Path.GetFileName(words[0]) != LocalTools.RedisServer) words.Insert(0, LocalTools.RedisServer);
                words[0] = LocalTools.Require(LocalTools.RedisServer);
                var bind = words.IndexOf("--bind");
                if (bind >= 0 && bind + 1 < words.Count) words[bind + 1] = podIP;
                else words.AddRange(["--bind", podIP]);
                return new ContainerCommand(kind, words[0], words.Skip(1).ToList(), extra, containerDirectory, configs);
            }
            default:
                throw new InvalidOperationException($"{kind} containers are not run by the node");
        }
    }

    /// <summary>Points each config argument (<c>-f FILE</c>, <c>-c FILE</c>) at a rewritten copy of the mounted file.</summary>
    private static void RewriteConfigArguments(List<string> words, string flag, ContainerKind kind,
        MountMap mounts, string podIP, string podDirectory, string containerDirectory, List<BalancerConfig> configs)
    {
        var streamModule = kind == ContainerKind.Nginx ? LocalTools.NginxModule("ngx_stream_module.so") : null;
        for (var i = 1; i + 1 < words.Count; i++)
        {
            if (words[i] != flag) continue;
            // Mount paths in the words are already host paths: a config outside every volume is left as given.
            var mounted = words[i + 1];
            if (!mounts.Mounts.Any(m => mounted.StartsWith(m.Host + "/", StringComparison.Ordinal) || mounted == m.Host)) continue;
            var copy = Path.Combine(containerDirectory, configs.Count == 0 ? Path.GetFileName(mounted) : $"{configs.Count}-{Path.GetFileName(mounted)}");
            var config = new BalancerConfig(kind, mounted, copy, mounts, podIP, podDirectory, streamModule);
            config.Refresh();
            configs.Add(config);
            words[i + 1] = copy;
        }
    }
}
