using System.Text.Json;

namespace WsPool.Local.Session;

/// <summary>
/// What a running session writes into its state directory, so `wspool local down` (another terminal) can find and
/// stop it, and so a second `up` on the same directory refuses instead of fighting the first.
/// </summary>
public sealed record SessionFile(int ProcessId, string Kubeconfig, string ApiUrl, IReadOnlyList<string> Urls)
{
    public const string Name = "session.json";

    public static string PathIn(string stateDirectory) => System.IO.Path.Combine(stateDirectory, Name);

    public void Write(string stateDirectory) =>
        File.WriteAllText(PathIn(stateDirectory), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>The session recorded in the directory, or null when none is, or its process is gone.</summary>
    public static SessionFile? ReadLive(string stateDirectory)
    {
        var path = PathIn(stateDirectory);
        if (!File.Exists(path)) return null;
        try
        {
            var session = JsonSerializer.Deserialize<SessionFile>(File.ReadAllText(path));
            return session is not null && IsAlive(session.ProcessId) ? session : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Delete(string stateDirectory) => File.Delete(PathIn(stateDirectory));

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
