using WsPool.Testing;

namespace WsPool.Cli.Tests;

/// <summary>Runs the CLI in-process with captured streams, as a user would run `wspool ARGS`.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] args) => RunWithInput("", args);

    public static Result RunWithInput(string stdin, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = CliApp.Run(args, new StringReader(stdin), output, error);
        return new Result(code, output.ToString(), error.ToString());
    }

    public static string RepositoryRoot => Repository.Root;

    public static string Example(string relativePath) => Repository.Path("examples", relativePath);

    public static TheoryData<string> ValidExamples() => new(Repository.ExampleFileNames());
}

/// <summary>A fresh directory under the system temp directory, deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("wspool-cli-").FullName;

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
