using System.Globalization;
using System.Net;

namespace WsPool.Testing;

/// <summary>
/// A throwaway redis-server (found through <see cref="Tools"/>) on a random loopback port: no persistence,
/// no config file, killed on dispose.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private RedisServerProcess(ManagedProcess process, string address, int port, string? password)
    {
        Process = process;
        Address = address;
        Port = port;
        Password = password;
    }

    public ManagedProcess Process { get; }
    public string Address { get; }
    public int Port { get; }
    public string? Password { get; }

    /// <summary>The URL in the form the operator injects as WSPOOL_REDIS_URL.</summary>
    public string Url => Password is null ? $"redis://{Address}:{Port}" : $"redis://:{Uri.EscapeDataString(Password)}@{Address}:{Port}";

    public static string Executable => Tools.Path(Tools.RedisServer);

    public static async Task<RedisServerProcess> StartAsync(string address = "127.0.0.1", string? password = null)
    {
        var port = FreePort.Next(IPAddress.Parse(address));
        var arguments = new List<string>
        {
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", address,
            "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
            "--dir", Path.GetTempPath(),
        };
        if (password is not null) arguments.AddRange(["--requirepass", password]);
        var process = ManagedProcess.Start(Executable, arguments);
        var redis = new RedisServerProcess(process, address, port, password);
        try
        {
            await process.WaitForPortAsync(address, port, TimeSpan.FromSeconds(15));
            return redis;
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
