using System.Diagnostics;
using WsPool.Testing;

namespace WsPool.Core.Tests.Crd;

/// <summary>Runs the kubectl client (no cluster needed for the commands used here), bounded in time.</summary>
internal static class Kubectl
{
    public static string Path => Tools.Path(Tools.Kubectl);

    public static (int ExitCode, string Stdout, string Stderr) Run(TimeSpan timeout, params string[] arguments)
    {
        var info = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // An empty kubeconfig: nothing here may reach for a cluster.
        info.Environment["KUBECONFIG"] = "/dev/null";

        using var process = Process.Start(info)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout)) throw new TimeoutException($"kubectl {string.Join(' ', arguments)} ran longer than {timeout}");
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
