using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;

namespace WsPool.Cli;

/// <summary>
/// The `wspool` command line: validate, render, crd and rbac. Everything it decides comes from WsPool.Core; this layer
/// parses arguments, reads and writes files and maps outcomes to exit codes (see <see cref="ExitCodes"/>).
/// </summary>
public static class CliApp
{
    /// <summary>Runs wspool with <paramref name="args"/> against the given streams and returns the exit code.</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var io = new CliIo(stdin, stdout, stderr);
        var root = BuildCommand(io);
        var parse = root.Parse(args);

        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"wspool: {error.Message}");
            stderr.WriteLine($"Run 'wspool {CommandPath(parse)}--help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            stderr.WriteLine($"wspool: internal error: {e}");
            return ExitCodes.Internal;
        }
    }

    /// <summary>The informational version of the wspool assembly (what --version prints).</summary>
    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliApp).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    private static Command BuildCommand(CliIo io)
    {
        // A plain Command rather than RootCommand: RootCommand takes its name from the entry assembly, which is the
        // test host when the CLI runs in-process, and help would then say "testhost".
        var root = new Command("wspool", "wspool: validate and render WebSocketPool resources offline, and print the CRD and the operator's RBAC.")
        {
            new HelpOption { Recursive = true },
            new VersionOption { Action = new PrintVersion() },
            ValidateCommand.Create(io),
            RenderCommand.Create(io),
            CrdCommand.Create(io),
            RbacCommand.Create(io),
            StatusCommand.Create(io),
            LocalCommand.Create(io),
        };
        return root;
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            if (result.Parent is not null) names.Insert(0, result.Command.Name);
        return names.Count == 0 ? "" : string.Join(' ', names) + " ";
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return ExitCodes.Ok;
        }
    }
}
