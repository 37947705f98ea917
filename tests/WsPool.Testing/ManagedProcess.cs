using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace WsPool.Testing;

/// <summary>
/// A real server process started by a test. Its output is kept for failure messages, and disposing kills the whole
/// process tree, so a failing test never leaves a HAProxy, NGINX or Redis behind.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    // The readers' last callback (Data null) says a stream is at its end: only then is Output complete.
    private readonly TaskCompletionSource _stdoutEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is null) _stdoutEnded.TrySetResult(); else _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is null) _stderrEnded.TrySetResult(); else _output.Enqueue(e.Data); };
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static ManagedProcess Start(string fileName, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process);
        if (!process.Start()) throw new InvalidOperationException($"could not start {fileName}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Waits until a TCP connect to host:port succeeds; fails with the process output otherwise.</summary>
    public Task WaitForPortAsync(string host, int port, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(async () =>
        {
            if (_process.HasExited)
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(5)); // the rest of its output, for the message
                throw new InvalidOperationException($"process exited with {_process.ExitCode} before listening on {host}:{port}:\n{Output}");
            }
            try
            {
                using var client = new TcpClient();
                using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                await client.ConnectAsync(host, port, cts.Token);
                return null;
            }
            catch (SocketException e)
            {
                return e.Message;
            }
            catch (OperationCanceledException)
            {
                return "the connect timed out";
            }
        }, (string? refused) => refused is null, $"a listener on {host}:{port}", timeout,
            refused => $"{refused}; process output:\n{Output}");

    /// <summary>Sends a POSIX signal (SIGTERM = 15, SIGHUP = 1, SIGUSR2 = 12, ...).</summary>
    public void Signal(int signal)
    {
        if (!_process.HasExited) _ = Posix.Kill(_process.Id, signal);
    }

    /// <summary>
    /// Waits for the process to exit and for its output to be read to the end, so <see cref="Output"/> is complete;
    /// returns false when it is still running after the timeout.
    /// </summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        try
        {
            // Process.WaitForExitAsync waits for the readers too; this says so here, where Output relies on it. A child
            // that inherited the pipes can hold them open after the exit: then Output stays as read so far.
            await Task.WhenAll(_stdoutEnded.Task, _stderrEnded.Task).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}
