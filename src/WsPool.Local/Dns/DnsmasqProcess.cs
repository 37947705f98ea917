using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace WsPool.Local.Dns;

/// <summary>
/// One dnsmasq serving the names of a hosts directory on 127.0.0.1:port and nothing else. dnsmasq re-reads a file of
/// that directory when it changes (inotify; the man page: "New or changed files are read automatically and modified
/// and deleted files have removed records automatically deleted"), so publishing new records needs no signal and no
/// restart. Started here, it is stopped here: <see cref="DisposeAsync"/> kills it and waits until its PID is gone.
/// </summary>
internal sealed class DnsmasqProcess : IAsyncDisposable
{
    /// <summary>What dnsmasq prints on stderr (then exits with 2) when it cannot bind its port.</summary>
    private const string AddressInUse = "Address already in use";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    // Set from the Exited event and by DisposeAsync: a Process's own WaitForExitAsync never completes once disposed.
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DnsmasqProcess(Process process, int port, string logFile)
    {
        _process = process;
        ProcessId = process.Id;
        Port = port;
        LogFile = logFile;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Exited += (_, _) => _exited.TrySetResult();
        if (_process.HasExited) _exited.TrySetResult(); // it exited before the handler was attached
    }

    public int Port { get; }
    public int ProcessId { get; }
    public string LogFile { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>Completes when dnsmasq exits, whatever the reason.</summary>
    public Task Exited => _exited.Task;

    /// <summary>What dnsmasq wrote to stdout and stderr (startup errors; its log goes to <see cref="LogFile"/>).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>
    /// The command line: every choice keeps dnsmasq a private, authoritative server for the cluster names only.
    /// </summary>
    public static IReadOnlyList<string> Arguments(int port, string hostsDirectory, string logFile, string pidFile, int ttlSeconds) =>
    [
        // Not the machine's /etc/dnsmasq.conf (a system dnsmasq's settings must not leak in).
        "--conf-file=/dev/null",
        // Stay in the foreground as our child, so we own its lifetime (--no-daemon would also switch to debug mode).
        "--keep-in-foreground",
        $"--port={port.ToString(CultureInfo.InvariantCulture)}",
        // Loopback only, bound to that address alone: nothing outside the machine can query it.
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        // No upstream servers and not the machine's /etc/hosts: only the Services' names are answered ...
        "--no-resolv",
        "--no-hosts",
        // ... and every other name is local too, so it gets NXDOMAIN (without this, dnsmasq answers REFUSED).
        "--local=/#/",
        $"--hostsdir={hostsDirectory}",
        // Resolvers (HAProxy's included) may cache an answer this long: keep it short so scaling shows at once.
        $"--local-ttl={ttlSeconds.ToString(CultureInfo.InvariantCulture)}",
        $"--log-facility={logFile}",
        $"--pid-file={pidFile}",
        // dnsmasq started by root drops to "nobody", who could not read the hosts directory in a private state
        // directory; run as whoever runs local mode (for anyone else dnsmasq changes no user at all).
        $"--user={Environment.UserName}",
    ];

    /// <summary>
    /// Starts dnsmasq on <paramref name="port"/> and waits until it answers a DNS question. Throws
    /// <see cref="IOException"/> naming the port when it is taken, and <see cref="InvalidOperationException"/> with
    /// dnsmasq's own words for any other failure to start.
    /// </summary>
    public static async Task<DnsmasqProcess> StartAsync(string dnsmasq, int port, string hostsDirectory, string stateDirectory,
        int ttlSeconds, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        var logFile = Path.Combine(stateDirectory, "dnsmasq.log");
        var pidFile = Path.Combine(stateDirectory, "dnsmasq.pid");
        var info = new ProcessStartInfo(dnsmasq)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = stateDirectory,
        };
        foreach (var argument in Arguments(port, hostsDirectory, logFile, pidFile, ttlSeconds)) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        if (!process.Start()) throw new InvalidOperationException($"could not start {dnsmasq}");
        var dns = new DnsmasqProcess(process, port, logFile);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await dns.WaitUntilAnsweringAsync(startTimeout, cancellationToken).ConfigureAwait(false);
            return dns;
        }
        catch
        {
            await dns.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                // The exit code is known; the last lines of stderr may still be on their way.
                await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw Output.Contains(AddressInUse, StringComparison.Ordinal)
                    ? new IOException($"local DNS cannot listen on 127.0.0.1:{Port} (UDP and TCP): the port is already in use. " +
                                      $"Choose another port, or 0 for a free one, or stop the program holding it. dnsmasq said: {Output}")
                    : new InvalidOperationException($"dnsmasq exited with code {_process.ExitCode} on start: {Output}");
            }
            try
            {
                // Any answer (NXDOMAIN for this name) means dnsmasq has read its hosts directory and serves UDP.
                await DnsQuery.AskAsync(EndPoint, "wspool-local-dns-probe.invalid", TimeSpan.FromMilliseconds(250), cancellationToken)
                    .ConfigureAwait(false);
                return;
            }
            catch (TimeoutException) when (Stopwatch.GetElapsedTime(started) < timeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"dnsmasq on 127.0.0.1:{Port} did not answer within {timeout.TotalSeconds:0.#}s: {Output}", e);
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 50) _output.TryDequeue(out _);
    }

    /// <summary>Kills dnsmasq (and any TCP helper it forked) and waits until the process is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            _exited.TrySetResult();
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
            _exited.TrySetResult();
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"dnsmasq (PID {ProcessId}) did not exit within 10s of being killed");
        }
        finally
        {
            _process.Dispose();
        }
    }
}
