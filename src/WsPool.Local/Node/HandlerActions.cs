using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using k8s.Models;
using WsPool.Local.Tools;

namespace WsPool.Local.Node;

/// <summary>The outcome of a probe or hook action, with what to log or report when it failed.</summary>
internal readonly record struct ActionResult(bool Success, string Message)
{
    public static ActionResult Ok(string message = "") => new(true, message);
    public static ActionResult Failed(string message) => new(false, message);
}

/// <summary>
/// The actions probes and lifecycle hooks share, aimed at the pod's own address as the kubelet aims them at the pod
/// IP: <c>httpGet</c> (2xx and 3xx succeed, redirects are not followed), <c>tcpSocket</c> (a connect succeeds) and
/// <c>exec</c> (exit 0 succeeds). An exec command runs here with the container's variables and mount paths, with two
/// local-mode rules: a program this machine does not have counts as success (logged once: the probe cannot say
/// anything here, and failing it would keep the pod unready forever), and <c>redis-cli</c> is pointed at the pod's
/// address with <c>-h</c>, because "localhost" in a pod means the pod, and here it means the machine.
/// </summary>
internal sealed class HandlerActions(
    string podIP,
    V1Container container,
    IReadOnlyList<KeyValuePair<string, string>> environment,
    MountMap mounts,
    string workingDirectory,
    Action<string> warn)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true }, // the kubelet skips verification too
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly HashSet<string> _warned = [];

    /// <summary>A port by number, or by the name of one of the container's ports.</summary>
    public int? Port(IntOrString? port)
    {
        var text = port?.Value;
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return number;
        return container.Ports?.FirstOrDefault(p => p.Name == text)?.ContainerPort;
    }

    public async Task<ActionResult> HttpGetAsync(V1HTTPGetAction action, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Port(action.Port) is not { } port) return ActionResult.Failed($"port {action.Port?.Value} is not a container port");
        var scheme = string.Equals(action.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var path = string.IsNullOrEmpty(action.Path) ? "/" : action.Path.StartsWith('/') ? action.Path : "/" + action.Path;
        var uri = new Uri($"{scheme}://{(string.IsNullOrEmpty(action.Host) ? podIP : action.Host)}:{port.ToString(CultureInfo.InvariantCulture)}{path}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.ConnectionClose = true;
        request.Headers.UserAgent.ParseAdd("kube-probe/1.36");
        foreach (var header in action.HttpHeaders ?? []) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400 ? ActionResult.Ok() : ActionResult.Failed($"HTTP probe failed with statuscode: {code}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ActionResult.Failed($"Get \"{uri}\": context deadline exceeded");
        }
        catch (HttpRequestException e)
        {
            return ActionResult.Failed($"Get \"{uri}\": {e.Message}");
        }
    }

    public async Task<ActionResult> TcpAsync(V1TCPSocketAction action, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Port(action.Port) is not { } port) return ActionResult.Failed($"port {action.Port?.Value} is not a container port");
        var host = string.IsNullOrEmpty(action.Host) ? podIP : action.Host;
        using var client = new TcpClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(host, port, cts.Token);
            return ActionResult.Ok();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ActionResult.Failed($"dial tcp {host}:{port}: i/o timeout");
        }
        catch (SocketException e)
        {
            return ActionResult.Failed($"dial tcp {host}:{port}: {e.Message}");
        }
    }

    public async Task<ActionResult> ExecAsync(V1ExecAction action, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var words = (action.Command ?? []).Select(mounts.Rewrite).ToList();
        if (words.Count == 0) return ActionResult.Failed("exec: empty command");
        var program = words[0].Contains('/') ? (File.Exists(words[0]) ? words[0] : null) : LocalTools.Find(words[0]);
        if (program is null)
        {
            bool first;
            lock (_warned) first = _warned.Add(words[0]);
            if (first)
                warn($"exec action '{string.Join(' ', words)}': {words[0]} is not on this machine; counted as success");
            return ActionResult.Ok("program not found locally");
        }
        if (Path.GetFileName(words[0]) == "redis-cli" && !words.Contains("-h")) words.InsertRange(1, ["-h", podIP]);

        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var word in words.Skip(1)) info.ArgumentList.Add(word);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var output = process.StandardOutput.ReadToEndAsync(cts.Token);
        var errors = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (cancellationToken.IsCancellationRequested) throw;
            return ActionResult.Failed($"command timed out after {timeout.TotalSeconds:0.#}s");
        }
        string text;
        try
        {
            // A child the command left behind may hold its output open: take what came, do not wait for the end.
            text = string.Concat(await Task.WhenAll(output, errors).WaitAsync(TimeSpan.FromSeconds(1), cancellationToken)).Trim();
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            text = "";
        }
        return process.ExitCode == 0
            ? ActionResult.Ok(text)
            : ActionResult.Failed($"command '{string.Join(' ', words)}' exited with {process.ExitCode}: {text}");
    }
}
