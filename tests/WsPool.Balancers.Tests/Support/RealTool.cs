using System.Diagnostics;

namespace WsPool.Balancers.Tests.Support;

/// <summary>Runs a real checker (haproxy -c, nginx -t, openssl) to completion, bounded in time.</summary>
public static class RealTool
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within 60s");
        }
        return new Result(process.ExitCode, stdout.Result + stderr.Result);
    }
}
