using System.CommandLine;
using WsPool.Core.Loading;

namespace WsPool.Cli;

/// <summary>`wspool validate -f FILE`: exit 0 when every pool is valid, else 1 and one line per problem on stderr.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliIo io)
    {
        var file = FileOption.Create();
        var command = new Command("validate", "Check every WebSocketPool in a file against the API's rules; report all problems at once.") { file };
        command.SetAction(parse =>
        {
            if (io.ReadInput(parse.GetRequiredValue(file)) is not { } input) return ExitCodes.Usage;
            var checkedFile = PoolFileChecker.Check(input.Text, input.DisplayName);
            var broken = checkedFile.Problems.Select(p => p.Document).ToHashSet();
            foreach (var pool in checkedFile.Pools.Where(p => !broken.Contains(p.DocumentIndex)))
                io.Out.WriteLine($"{pool.Id}: valid");
            io.ReportProblems(checkedFile);
            return checkedFile.IsValid ? ExitCodes.Ok : ExitCodes.InvalidInput;
        });
        return command;
    }
}

/// <summary>The -f/--file option every command that reads pools shares.</summary>
internal static class FileOption
{
    public static Option<string> Create() => new("--file", "-f")
    {
        Description = "A YAML file with one or more WebSocketPool documents; '-' reads standard input.",
        Required = true,
        HelpName = "FILE",
    };
}
