using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Spectre.Console;
using WsPool.Core.Loading;
using WsPool.Local.Session;

namespace WsPool.Cli;

/// <summary>
/// `wspool local up -f FILE` runs the whole loop on this machine (an embedded API, the real operator, pods as
/// processes, DNS, the real balancer) with a live view until Ctrl-C; `wspool local down` stops it from another
/// terminal. Everything runs on 127.0.0.0/8 under one state directory.
/// </summary>
internal static class LocalCommand
{
    /// <summary>The machine lacks what local mode needs (a tool, a free port) or another session holds the directory.</summary>
    public const int NotRunnable = 4;

    public static Command Create(CliIo io)
    {
        var stateDir = new Option<string>("--state-dir")
        {
            Description = "Where the session keeps its kubeconfig, pods and logs.",
            DefaultValueFactory = _ => LocalOptions.DefaultStateDirectory,
        };
        var file = FileOption.Create();
        var run = new Option<string[]>("--run")
        {
            Description = "Run IMAGE as COMMAND ($POD_IP and $PORT are replaced); repeatable. Built in: the sample chat server, haproxy, nginx, redis.",
            HelpName = "IMAGE=COMMAND",
        };
        run.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
                if (value.IndexOf('=') is <= 0 || value.EndsWith('='))
                    result.AddError($"--run '{value}' must be IMAGE=COMMAND");
        });
        var noView = new Option<bool>("--no-view") { Description = "Print events as lines instead of the live view (also when stdout is not a terminal)." };
        var up = new Command("up", "Start the embedded API, the operator, the pods, DNS and the balancer for the pools in FILE; Ctrl-C stops everything.")
        {
            file, run, stateDir, noView,
        };
        up.SetAction((parse, cancellationToken) => UpAsync(io, parse.GetRequiredValue(file), parse.GetValue(run) ?? [],
            parse.GetRequiredValue(stateDir), parse.GetValue(noView), cancellationToken));

        var down = new Command("down", "Stop the local session running in --state-dir (from another terminal).") { stateDir };
        down.SetAction((parse, cancellationToken) => DownAsync(io, parse.GetRequiredValue(stateDir), cancellationToken));

        return new Command("local", "Run pools on this machine with the real operator, balancer and DNS (not a production control plane).")
        {
            up, down,
        };
    }

    private static async Task<int> UpAsync(CliIo io, string path, string[] run, string stateDir, bool noView,
        CancellationToken cancellationToken)
    {
        if (io.ReadInput(path) is not { } input) return ExitCodes.Usage;
        var checkedFile = PoolFileChecker.Check(input.Text, input.DisplayName);
        if (!checkedFile.IsValid)
        {
            io.ReportProblems(checkedFile);
            return ExitCodes.InvalidInput;
        }
        var options = new LocalOptions
        {
            PoolFile = path,
            StateDirectory = Path.GetFullPath(stateDir),
            Run = run.Select(r => r.Split('=', 2)).ToDictionary(p => p[0], p => p[1]),
        };
        var pools = checkedFile.Pools.Select(p => p.Pool).ToList();
        var problems = Preflight.Check(pools, options);
        if (problems.Count > 0)
        {
            foreach (var problem in problems) io.Error.WriteLine($"wspool local: {problem}");
            return NotRunnable;
        }

        // Ctrl-C and `wspool local down` (SIGTERM) both end the session the same way: everything stopped, by PID.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        var started = Stopwatch.StartNew();
        await using var session = await LocalSession.StartAsync(options, pools, stop.Token).ConfigureAwait(false);
        new SessionFile(Environment.ProcessId, session.Kubeconfig, session.Api.Url, []).Write(options.StateDirectory);
        try
        {
            io.Out.WriteLine($"wspool local: up in {started.Elapsed.TotalSeconds:0.0}s. export KUBECONFIG={session.Kubeconfig}  (kubectl get wsp -A)");
            io.Out.WriteLine($"wspool local: operator and node logs: {session.LogFile}; stop with Ctrl-C or `wspool local down`");
            foreach (var secret in session.SelfSignedSecrets)
                io.Out.WriteLine($"wspool local: created a self-signed certificate for Secret {secret}: clients must skip verification (wsload --insecure)");
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(io.Out) });
            await LiveView.RunAsync(session, console, live: !noView && !Console.IsOutputRedirected, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            SessionFile.Delete(options.StateDirectory);
        }
        io.Out.WriteLine("wspool local: stopped; every process it started has exited");
        return ExitCodes.Ok;
    }

    private static async Task<int> DownAsync(CliIo io, string stateDir, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(stateDir);
        if (SessionFile.ReadLive(directory) is not { } session)
        {
            io.Out.WriteLine($"wspool local: no session is running (state: {directory})");
            return ExitCodes.Ok;
        }
        if (Kill(session.ProcessId, Sigterm) != 0)
        {
            io.Error.WriteLine($"wspool local: could not signal pid {session.ProcessId}");
            return NotRunnable;
        }
        using var process = Process.GetProcessById(session.ProcessId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            io.Error.WriteLine($"wspool local: pid {session.ProcessId} did not stop within 60s");
            return NotRunnable;
        }
        io.Out.WriteLine($"wspool local: stopped the session of pid {session.ProcessId}");
        return ExitCodes.Ok;
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
