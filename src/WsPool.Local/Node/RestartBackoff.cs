namespace WsPool.Local.Node;

/// <summary>
/// The kubelet's crash-loop backoff for one container: the first restart is immediate, the next waits the base
/// delay (10 s), and each later one twice the previous, up to the maximum (5 min); a container that ran
/// <see cref="ResetAfter"/> without exiting starts over.
/// </summary>
internal sealed class RestartBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    public static readonly TimeSpan ResetAfter = TimeSpan.FromMinutes(10);

    private TimeSpan? _next;

    /// <summary>How long to wait before restarting a container that ran for <paramref name="ranFor"/>.</summary>
    public TimeSpan Next(TimeSpan ranFor)
    {
        if (ranFor >= ResetAfter) _next = null;
        if (_next is not { } delay)
        {
            _next = baseDelay;
            return TimeSpan.Zero;
        }
        _next = delay * 2 < maxDelay ? delay * 2 : maxDelay;
        return delay < maxDelay ? delay : maxDelay;
    }
}
