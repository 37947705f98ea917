using k8s.Models;
using Microsoft.Extensions.Logging;

namespace WsPool.Local.Node;

/// <summary>How one run of a container ended.</summary>
internal sealed record ContainerTermination(int ExitCode, string Reason, DateTimeOffset StartedAt, DateTimeOffset FinishedAt);

/// <summary>A container's state at one instant, for the pod's status and the live view.</summary>
internal sealed record ContainerView(
    string Name,
    string Image,
    ContainerKind? Kind,
    string State,
    string? Reason,
    string? Message,
    DateTimeOffset? StartedAt,
    ContainerTermination? Terminated,
    ContainerTermination? LastTerminated,
    int RestartCount,
    bool Ready,
    bool Started,
    int? Pid,
    int Reloads,
    string LogFile)
{
    public const string Waiting = "Waiting";
    public const string Running = "Running";
    public const string Ended = "Terminated";

    /// <summary>A container that has not started (and may never: ImageNotMapped, a missing Secret, ...).</summary>
    public static ContainerView NotStarted(V1Container container, ContainerKind? kind, string reason, string? message, string logFile) =>
        new(container.Name, container.Image ?? "", kind, Waiting, reason, message, null, null, null, 0, false, false, null, 0, logFile);
}

/// <summary>
/// One container of a running pod, for the pod's whole life: starts its process, runs its probes, restarts it per
/// the pod's restartPolicy with the kubelet's backoff, reloads a balancer in place, and is stopped by
/// <see cref="PodTermination"/> (which owns the order: preStop, SIGTERM, grace, SIGKILL). Readiness is true once the
/// process runs when there is no readiness probe, else as the probe says; it is false while stopping.
/// A <see cref="ContainerKind.NodeReloader"/> runs no process: it is reported running and ready, since the node does
/// its job (reloading the balancer when the mounted config changes).
/// </summary>
internal sealed class ContainerRun
{
    private readonly V1Container _spec;
    private readonly ContainerKind _kind;
    private readonly ContainerCommand? _command;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _environment;
    private readonly HandlerActions _actions;
    private readonly string _restartPolicy;
    private readonly RestartBackoff _backoff;
    private readonly TimeSpan _livenessGrace;
    private readonly Action _changed;
    private readonly Action<string, string, string> _event;
    private readonly ILogger _logger;
    private readonly string _who;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PodProcess? _process;
    private string _state = ContainerView.Waiting;
    private string? _reason = "ContainerCreating";
    private string? _message;
    private DateTimeOffset? _startedAt;
    private ContainerTermination? _lastTermination;
    private ContainerTermination? _previousTermination;
    private int _restarts;
    private bool _ready;
    private bool _started;
    private bool _pendingReload;
    private int _reloads;
    private bool _stopping;
    private bool _terminal;

    /// <param name="spec">The container as declared.</param>
    /// <param name="kind">What runs for its image.</param>
    /// <param name="command">How to run it; null for a <see cref="ContainerKind.NodeReloader"/>.</param>
    /// <param name="environment">Its resolved variables.</param>
    /// <param name="actions">Probe and hook actions aimed at the pod.</param>
    /// <param name="logFile">Where its output goes.</param>
    /// <param name="restartPolicy">The pod's restartPolicy.</param>
    /// <param name="backoff">Its restart backoff.</param>
    /// <param name="livenessGrace">How long a container failing its liveness probe gets after SIGTERM.</param>
    /// <param name="changed">Called (outside any lock) whenever its view changed.</param>
    /// <param name="recordEvent">Records an event about the pod: type, reason, note.</param>
    /// <param name="logger">The node's logger.</param>
    /// <param name="who">"namespace/pod/container", for logs.</param>
    public ContainerRun(V1Container spec, ContainerKind kind, ContainerCommand? command, IReadOnlyList<KeyValuePair<string, string>> environment,
        HandlerActions actions, string logFile, string restartPolicy, RestartBackoff backoff, TimeSpan livenessGrace, Action changed,
        Action<string, string, string> recordEvent, ILogger logger, string who)
    {
        _spec = spec;
        _kind = kind;
        _command = command;
        _environment = environment;
        _actions = actions;
        LogFile = logFile;
        _restartPolicy = restartPolicy;
        _backoff = backoff;
        _livenessGrace = livenessGrace;
        _changed = changed;
        _event = recordEvent;
        _logger = logger;
        _who = who;
    }

    public string Name => _spec.Name;
    public ContainerKind Kind => _kind;
    public string LogFile { get; }
    public IReadOnlyList<BalancerConfig> Configs => _command?.Configs ?? [];

    /// <summary>Completes when the container will run no more (stopped, or ended for good per restartPolicy).</summary>
    public Task Completion => _done.Task;

    public bool IsTerminal
    {
        get { lock (_lock) return _terminal; }
    }

    /// <summary>The process running now (the pid of its process group), or null.</summary>
    public int? Pid
    {
        get { lock (_lock) return _process?.Pid; }
    }

    public ContainerView View()
    {
        lock (_lock)
        {
            var ended = _state == ContainerView.Ended;
            return new ContainerView(_spec.Name, _spec.Image ?? "", _kind, _state, _reason, _message,
                _state == ContainerView.Running ? _startedAt : null,
                ended ? _lastTermination : null,
                ended ? _previousTermination : _lastTermination,
                _restarts, _ready, _started, _process?.Pid, _reloads, LogFile);
        }
    }

    public void Start() => _ = Task.Run(RunAsync);

    /// <summary>No more restarts, readiness false, backoff and probes cancelled; true when a process is still alive.</summary>
    public bool BeginStopping()
    {
        lock (_lock)
        {
            _stopping = true;
            _ready = false;
        }
        _stop.Cancel();
        _changed();
        lock (_lock) return _process is { HasExited: false };
    }

    /// <summary>Runs the preStop hook (sleep, exec or httpGet against the pod) within <paramref name="budget"/>.</summary>
    public async Task PreStopAsync(TimeSpan budget, CancellationToken hurry)
    {
        if (_spec.Lifecycle?.PreStop is not { } hook || budget <= TimeSpan.Zero) return;
        lock (_lock)
            if (_process is not { HasExited: false }) return;
        try
        {
            ActionResult result;
            if (hook.Sleep is { } sleep)
            {
                var wait = TimeSpan.FromSeconds(Math.Max(0, sleep.Seconds));
                await Task.Delay(wait < budget ? wait : budget, hurry);
                result = ActionResult.Ok();
            }
            else if (hook.Exec is { } exec) result = await _actions.ExecAsync(exec, budget, hurry);
            else if (hook.HttpGet is { } http) result = await _actions.HttpGetAsync(http, budget, hurry);
            else result = ActionResult.Ok();
            if (!result.Success)
            {
                _logger.LogWarning("{Container}: preStop hook failed: {Message}", _who, result.Message);
                _event("Warning", "FailedPreStopHook", $"PreStopHook failed: {result.Message}");
            }
        }
        catch (OperationCanceledException) when (hurry.IsCancellationRequested)
        {
            // The node is shutting down: straight to SIGTERM.
        }
    }

    /// <summary>
    /// SIGTERM, up to <paramref name="grace"/> (only <paramref name="hurryGrace"/> once <paramref name="hurry"/> is
    /// cancelled), SIGKILL to the group; then waits for the run loop to end.
    /// </summary>
    public async Task StopProcessAsync(TimeSpan grace, CancellationToken hurry, TimeSpan hurryGrace)
    {
        PodProcess? process;
        lock (_lock) process = _process;
        if (process is not null) await process.StopAsync(grace, hurry, hurryGrace);
        await Completion;
    }

    /// <summary>SIGKILL to the container's processes now (the host is exiting; nothing can be awaited).</summary>
    public void KillNow()
    {
        lock (_lock)
        {
            _stopping = true;
            _process?.KillGroup();
        }
    }

    /// <summary>
    /// Reloads the balancer in place: SIGUSR2 to HAProxy's master, SIGHUP to NGINX's. A balancer that is not ready yet
    /// may not have set up its signal handlers (the default action of both signals ends a process), so the reload
    /// waits for readiness; a restart in between makes it needless (the new process reads the new config).
    /// </summary>
    public void RequestReload()
    {
        lock (_lock)
        {
            if (_stopping || _process is null) return;
            if (!_ready)
            {
                _pendingReload = true;
                return;
            }
            SignalReloadLocked();
        }
        _changed();
    }

    private void SignalReloadLocked()
    {
        _pendingReload = false;
        var signal = _kind == ContainerKind.HAProxy ? Posix.SIGUSR2 : Posix.SIGHUP;
        if (_process?.Signal(signal) != true) return;
        _reloads++;
        _logger.LogInformation("{Container}: config changed, reloaded in place ({Signal})", _who, _kind == ContainerKind.HAProxy ? "SIGUSR2" : "SIGHUP");
        _event("Normal", "Reloaded", $"Mounted config changed: reloaded {_kind} in place (reload {_reloads})");
    }

    private async Task RunAsync()
    {
        try
        {
            if (_command is null)
            {
                lock (_lock)
                {
                    _state = ContainerView.Running;
                    _reason = null;
                    _startedAt = DateTimeOffset.UtcNow;
                    _started = true;
                    _ready = !_stopping;
                }
                _changed();
                await WaitForStopAsync();
                lock (_lock)
                {
                    _lastTermination = new ContainerTermination(0, "Completed", _startedAt!.Value, DateTimeOffset.UtcNow);
                    _state = ContainerView.Ended;
                    _reason = "Completed";
                }
                return;
            }
            while (true)
            {
                PodProcess? process = null;
                string? startError = null;
                lock (_lock)
                {
                    if (_stopping) break;
                    try
                    {
                        process = PodProcess.Start(_command, _environment, LogFile);
                    }
                    catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
                    {
                        startError = e.Message;
                    }
                    _process = process;
                    if (process is not null)
                    {
                        _state = ContainerView.Running;
                        _reason = null;
                        _message = null;
                        _startedAt = process.StartedAt;
                        _started = true;
                        _ready = _spec.ReadinessProbe is null;
                        _pendingReload = false;
                    }
                }
                var startedAt = process?.StartedAt ?? DateTimeOffset.UtcNow;
                int code;
                if (process is null)
                {
                    _logger.LogWarning("{Container}: could not start: {Error}", _who, startError);
                    code = 128;
                }
                else
                {
                    _logger.LogInformation("{Container}: started {Program} as pid {Pid}", _who, _command.FileName, process.Pid);
                    _changed();
                    using var probes = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    StartProbes(process, probes.Token);
                    code = await process.Exited;
                    await probes.CancelAsync();
                    process.KillGroup();
                }
                var finishedAt = DateTimeOffset.UtcNow;
                var reason = process is null ? "StartError" : code == 0 ? "Completed" : "Error";
                bool restart;
                var delay = TimeSpan.Zero;
                lock (_lock)
                {
                    _process = null;
                    _ready = false;
                    _previousTermination = _lastTermination;
                    _lastTermination = new ContainerTermination(code, reason, startedAt, finishedAt);
                    restart = !_stopping && _restartPolicy switch
                    {
                        "Never" => false,
                        "OnFailure" => code != 0,
                        _ => true,
                    };
                    if (!restart)
                    {
                        _state = ContainerView.Ended;
                        _reason = reason;
                        _terminal = !_stopping;
                    }
                    else
                    {
                        delay = _backoff.Next(finishedAt - startedAt);
                        _state = ContainerView.Waiting;
                        _reason = delay > TimeSpan.Zero ? "CrashLoopBackOff" : "ContainerCreating";
                        _message = delay > TimeSpan.Zero ? $"back-off {delay.TotalSeconds:0.#}s restarting failed container={_spec.Name}" : null;
                    }
                }
                if (!_stopping) _logger.LogInformation("{Container}: exited with {Code}{Next}", _who, code,
                    restart ? delay > TimeSpan.Zero ? $"; restarting in {delay.TotalSeconds:0.#}s" : "; restarting" : "; not restarted (restartPolicy " + _restartPolicy + ")");
                _changed();
                if (!restart) break;
                if (delay > TimeSpan.Zero)
                {
                    _event("Warning", "BackOff", $"Back-off restarting failed container {_spec.Name}");
                    try
                    {
                        await Task.Delay(delay, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
                lock (_lock)
                {
                    if (_stopping)
                    {
                        _state = ContainerView.Ended;
                        _reason = reason;
                        break;
                    }
                    _restarts++;
                }
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "{Container}: run loop failed", _who);
        }
        finally
        {
            _changed();
            _done.TrySetResult();
        }
    }

    private async Task WaitForStopAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void StartProbes(PodProcess process, CancellationToken cancellationToken)
    {
        void Warn(string message) => _logger.LogWarning("{Container}: {Message}", _who, message);
        if (_spec.ReadinessProbe is { } readiness)
        {
            var runner = new ProbeRunner(readiness, startsHealthy: false, _actions, (ok, message) => OnReadiness(process, ok, message), Warn);
            _ = Task.Run(() => IgnoreCancellation(runner.RunAsync(cancellationToken)), CancellationToken.None);
        }
        if (_spec.LivenessProbe is { } liveness)
        {
            var runner = new ProbeRunner(liveness, startsHealthy: true, _actions, (ok, message) => OnLiveness(process, ok, message), Warn);
            _ = Task.Run(() => IgnoreCancellation(runner.RunAsync(cancellationToken)), CancellationToken.None);
        }
    }

    private void OnReadiness(PodProcess process, bool ready, string message)
    {
        lock (_lock)
        {
            if (_process != process) return;
            _ready = ready && !_stopping;
            if (_ready && _pendingReload) SignalReloadLocked();
        }
        if (!ready)
        {
            _logger.LogInformation("{Container}: readiness probe failed: {Message}", _who, message);
            _event("Warning", "Unhealthy", $"Readiness probe failed: {message}");
        }
        _changed();
    }

    private void OnLiveness(PodProcess process, bool alive, string message)
    {
        if (alive) return;
        lock (_lock)
            if (_process != process || _stopping) return;
        _logger.LogWarning("{Container}: liveness probe failed ({Message}); restarting it", _who, message);
        _event("Warning", "Unhealthy", $"Liveness probe failed: {message}; container {_spec.Name} will be restarted");
        _ = process.StopAsync(_livenessGrace);
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
