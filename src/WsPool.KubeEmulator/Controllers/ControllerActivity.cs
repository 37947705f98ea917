namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// One count of work queued or running across every background controller. A controller enqueues the next one's
/// work (under the store lock) before it finishes its own item, so "this count is 0" means the whole chain has
/// settled; reading each controller's own count one after another could miss work handed along in between.
/// </summary>
public sealed class ControllerActivity
{
    private int _pending;

    public int Pending => Volatile.Read(ref _pending);

    internal void Started() => Interlocked.Increment(ref _pending);

    internal void Finished() => Interlocked.Decrement(ref _pending);
}
