namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// Pod IPs on the loopback range (127.0.0.2, 127.0.0.3, …): every address of 127.0.0.0/8 reaches this machine, so a
/// process started for a pod can listen on the pod's own IP with the same port as its siblings. The lowest free
/// address is handed out and an address comes back when its pod is gone. 127.0.0.1 (the host, the API) and
/// addresses ending in .0 or .255 are never given.
/// </summary>
public sealed class PodIpPool
{
    private readonly SortedSet<int> _free = [];
    private readonly HashSet<int> _used = [];
    private readonly Lock _sync = new();
    private int _next = 2;

    public string Allocate()
    {
        lock (_sync)
        {
            int n;
            if (_free.Count > 0)
            {
                n = _free.Min;
                _free.Remove(n);
            }
            else
            {
                while ((_next & 255) is 0 or 255) _next++;
                if (_next >= 1 << 24) throw new InvalidOperationException("no pod IP left in 127.0.0.0/8");
                n = _next++;
            }
            _used.Add(n);
            return $"127.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
        }
    }

    public void Release(string ip)
    {
        var parts = ip.Split('.');
        if (parts.Length != 4 || parts[0] != "127" || !byte.TryParse(parts[1], out var b) || !byte.TryParse(parts[2], out var c)
            || !byte.TryParse(parts[3], out var d))
            return;
        var n = (b << 16) | (c << 8) | d;
        lock (_sync)
            if (_used.Remove(n)) _free.Add(n);
    }

    public int InUse
    {
        get { lock (_sync) return _used.Count; }
    }
}
