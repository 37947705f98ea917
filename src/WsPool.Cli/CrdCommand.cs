using System.CommandLine;
using WsPool.Core.Crd;

namespace WsPool.Cli;

/// <summary>`wspool crd`: the CustomResourceDefinition generated from the API types, byte for byte.</summary>
internal static class CrdCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("crd", "Print the WebSocketPool CustomResourceDefinition (generated from the API types).");
        command.SetAction(_ =>
        {
            io.Out.Write(CrdGenerator.ToYaml());
            return ExitCodes.Ok;
        });
        return command;
    }
}
