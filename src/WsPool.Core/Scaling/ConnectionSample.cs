namespace WsPool.Core.Scaling;

/// <summary>
/// One reading of a pool's live connections: the count per pod that answered, the pods that should have answered
/// but did not, or an error when the whole reading failed. A sample with gaps undercounts, so the policy may scale
/// up on it but never down.
/// </summary>
public sealed record ConnectionSample(
    DateTime At,
    IReadOnlyDictionary<string, long> Pods,
    IReadOnlyList<string> MissingPods,
    string? Error = null)
{
    public long Total => Pods.Values.Sum();

    /// <summary>Every expected pod answered and nothing failed.</summary>
    public bool IsComplete => Error is null && MissingPods.Count == 0;

    public static ConnectionSample Of(DateTime at, IReadOnlyDictionary<string, long> pods) => new(at, pods, []);

    public static ConnectionSample Failed(DateTime at, string error) =>
        new(at, new Dictionary<string, long>(), [], error);
}
