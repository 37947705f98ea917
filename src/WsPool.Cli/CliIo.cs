namespace WsPool.Cli;

/// <summary>The streams a command talks to; the process passes the console, tests pass string writers.</summary>
public sealed record CliIo(TextReader In, TextWriter Out, TextWriter Error)
{
    /// <summary>Reads FILE, or standard input for "-"; null (with the reason on stderr) when it cannot be read.</summary>
    public (string Text, string DisplayName)? ReadInput(string file)
    {
        if (file == "-") return (In.ReadToEnd(), "stdin");
        try
        {
            return (File.ReadAllText(file), file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Error.WriteLine($"wspool: cannot read {file}: {e.Message}");
            return null;
        }
    }

    /// <summary>Prints every problem as one `pool: path: message` line on stderr.</summary>
    public void ReportProblems(Core.Loading.PoolFile file)
    {
        foreach (var problem in file.Problems) Error.WriteLine(problem.ToString());
    }
}
