using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Spectre.Console;
using WsPool.Core.Loading;
using WsPool.Local.Demo;
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

        var peak = new Option<int>("--peak") { Description = "Connections at the top of the surge.", DefaultValueFactory = _ => 6000 };
        var floor = new Option<int>("--floor") { Description = "Connections that stay after the decline.", DefaultValueFactory = _ => 500 };
        var ramp = new Option<int>("--ramp-seconds") { Description = "Seconds from 0 to the peak.", DefaultValueFactory = _ => 30 };
        var hold = new Option<int>("--hold-seconds") { Description = "Seconds at the peak before the decline.", DefaultValueFactory = _ => 60 };
        var demo = new Command("demo", "Run the pools in FILE locally, surge real clients through the balancer and back down, and print what they saw.")
        {
            file, run, stateDir, noView, peak, floor, ramp, hold,
        };
        demo.SetAction((parse, cancellationToken) =>
        {
            // Checked here rather than in a validator: only the parse result applies the options' defaults.
            var (peakValue, floorValue, rampValue, holdValue) = (parse.GetValue(peak), parse.GetValue(floor), parse.GetValue(ramp), parse.GetValue(hold));
            if (floorValue < 0 || peakValue <= floorValue || rampValue < 1 || holdValue < 0)
            {
                io.Error.WriteLine("wspool: --peak must be larger than --floor, --floor at least 0, --ramp-seconds at least 1 and --hold-seconds at least 0");
                return Task.FromResult(ExitCodes.Usage);
            }
            return DemoAsync(io, parse.GetRequiredValue(file), parse.GetValue(run) ?? [], parse.GetRequiredValue(stateDir), parse.GetValue(noView),
                new SurgePlan
                {
                    Peak = peakValue,
                    Floor = floorValue,
                    Ramp = TimeSpan.FromSeconds(rampValue),
                    Hold = TimeSpan.FromSeconds(holdValue),
                }, cancellationToken);
        });

        var down = new Command("down", "Stop the local session running in --state-dir (from another terminal).") { stateDir };
        down.SetAction((parse, cancellationToken) => DownAsync(io, parse.GetRequiredValue(stateDir), cancellationToken));

        return new Command("local", "Run pools on this machine with the real operator, balancer and DNS (not a production control plane).")
        {
            up, demo, down,
        };
    }

    private static Task<int> UpAsync(CliIo io, string path, string[] run, string stateDir, bool noView,
        CancellationToken cancellationToken) =>
        RunSessionAsync(io, path, run, stateDir, cancellationToken, async (session, console, stop) =>
        {
            await LiveView.RunAsync(session, console, io.Out, live: !noView && !Console.IsOutputRedirected, stop).ConfigureAwait(false);
            return ExitCodes.Ok;
        });

    private static Task<int> DemoAsync(CliIo io, string path, string[] run, string stateDir, bool noView, SurgePlan plan,
        CancellationToken cancellationToken) =>
        RunSessionAsync(io, path, run, stateDir, cancellationToken, async (session, console, stop) =>
        {
            var live = !noView && !Console.IsOutputRedirected;
            string? lastLine = null;
            SurgeResult result;
            if (live)
            {
                // One live display redrawn in place, as `local up` shows it.
                SurgeResult? done = null;
                await console.Live(new Markup("starting…")).AutoClear(false).StartAsync(async context =>
                {
                    done = await SurgeDemo.RunAsync(session, plan, snapshot =>
                    {
                        context.UpdateTarget(WsPool.Local.View.LocalView.Render(snapshot));
                        context.Refresh();
                    }, Started, stop).ConfigureAwait(false);
                }).ConfigureAwait(false);
                result = done!;
            }
            else
            {
                result = await SurgeDemo.RunAsync(session, plan, snapshot =>
                {
                    var line = LiveView.Line(snapshot);
                    if (line == lastLine) return;
                    lastLine = line;
                    io.Out.WriteLine($"{snapshot.Time:HH:mm:ss} {line}");
                }, Started, stop).ConfigureAwait(false);
            }
            console.Write(WsPool.Local.View.LocalSummaryView.Render(result.Summary));
            console.WriteLine($"first echo through the balancer {result.FirstEcho.TotalSeconds:0.0}s after start; " +
                $"reconnects {result.Floor.Reconnects}; clients' close codes: " +
                string.Join(", ", result.Floor.ClosedEarly.Concat(result.Surge.ClosedEarly).GroupBy(c => c.Key)
                    .Select(g => $"{g.Key} ×{g.Sum(c => c.Value)}")));
            return result.Summary.Refused == 0 && result.Summary.AbruptCloses == 0 ? ExitCodes.Ok : ExitCodes.InvalidInput;
        });

    /// <summary>When the process started: `make demo`'s "time to the first echo" counts from here.</summary>
    private static readonly Stopwatch Started = Stopwatch.StartNew();

    /// <summary>Checks the file and the machine, starts the session, runs <paramref name="body"/> until it ends or Ctrl-C / SIGTERM, stops everything.</summary>
    private static async Task<int> RunSessionAsync(CliIo io, string path, string[] run, string stateDir,
        CancellationToken cancellationToken, Func<LocalSession, IAnsiConsole, CancellationToken, Task<int>> body)
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
        int code;
        await using (var session = await LocalSession.StartAsync(options, pools, stop.Token).ConfigureAwait(false))
        {
            new SessionFile(Environment.ProcessId, session.Kubeconfig, session.Api.Url, []).Write(options.StateDirectory);
            try
            {
                io.Out.WriteLine($"wspool local: up in {started.Elapsed.TotalSeconds:0.0}s. export KUBECONFIG={session.Kubeconfig}  (kubectl get wsp -A)");
                io.Out.WriteLine($"wspool local: operator and node logs: {session.LogFile}; stop with Ctrl-C or `wspool local down`");
                foreach (var secret in session.SelfSignedSecrets)
                    io.Out.WriteLine($"wspool local: created a self-signed certificate for Secret {secret}: clients must skip verification (wsload --insecure)");
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(io.Out) });
                code = await body(session, console, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                code = ExitCodes.Ok;
            }
            finally
            {
                SessionFile.Delete(options.StateDirectory);
            }
        }
        io.Out.WriteLine("wspool local: stopped; every process it started has exited");
        return code;
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
