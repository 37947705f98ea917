namespace WsPool.KubeEmulator.Faults;

/// <summary>The failures the emulator can inject, the ones operators meet on real clusters.</summary>
public enum FaultKind
{
    /// <summary>500 InternalError.</summary>
    InternalError,
    /// <summary>503 ServiceUnavailable.</summary>
    ServiceUnavailable,
    /// <summary>429 TooManyRequests with a Retry-After header (API priority and fairness).</summary>
    TooManyRequests,
    /// <summary>The response is delayed by <see cref="FaultSettings.SlowResponseDelay"/>, then served normally.</summary>
    SlowResponse,
    /// <summary>A watch stream is cut (connection aborted) after a random time up to <see cref="FaultSettings.WatchDropAfterMax"/>.</summary>
    DropWatch,
    /// <summary>A watch answers a 410 Expired ERROR event at once, as for a compacted resourceVersion.</summary>
    WatchGone,
    /// <summary>A write answers 409 Conflict (the object has been modified).</summary>
    WriteConflict,
}
