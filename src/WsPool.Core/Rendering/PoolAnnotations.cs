namespace WsPool.Core.Rendering;

/// <summary>The annotations wspool puts on the objects it renders, in one place so the operator reads the same keys.</summary>
public static class PoolAnnotations
{
    /// <summary>
    /// On a Secret rendered without data: the comma-separated keys the operator generates when it creates the
    /// Secret. It fills them once and never rotates them (a new Redis password would cut every backend off the
    /// broker until all pods restarted).
    /// </summary>
    public const string GenerateKeys = "wspool.dev/generate-keys";

    /// <summary>
    /// On the Redis and backend pod templates, when the password is known at render time: a SHA-256 of it. If the
    /// Secret is ever re-created with a new password, both pod templates change together and roll, so Redis and
    /// its clients never disagree about the password. The hash of a random password reveals nothing useful.
    /// </summary>
    public const string RedisPasswordChecksum = "wspool.dev/redis-password-checksum";
}
