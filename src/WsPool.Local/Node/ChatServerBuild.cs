namespace WsPool.Local.Node;

/// <summary>
/// Where the sample backend (examples/chat-server, assembly <c>chat-server.dll</c>) is built, for the image
/// <c>ghcr.io/wspool/chat-server</c>: an explicit path, else next to the running assembly (a test or tool that
/// references ChatServer.csproj gets it copied there), else the build output (Release, then Debug) of the checkout
/// above the running assembly or above the current directory.
/// </summary>
public static class ChatServerBuild
{
    public const string FileName = "chat-server.dll";

    /// <summary>The dll to run, or null when it is built nowhere the node can see.</summary>
    public static string? Locate(string? configured)
    {
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        // A dll without its runtimeconfig cannot be started by `dotnet`: a referenced library copy is not enough.
        var beside = Path.Combine(AppContext.BaseDirectory, FileName);
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json"))) return beside;
        // The checkout the running tool was built in, or the one the user runs it from.
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) continue;
                foreach (var configuration in new[] { "Release", "Debug" })
                {
                    var built = Path.Combine(dir.FullName, "examples", "chat-server", "bin", configuration, "net10.0", FileName);
                    if (File.Exists(built)) return built;
                }
                break;
            }
        }
        return null;
    }

    /// <summary>The dotnet host that runs this process (the SDK sets DOTNET_HOST_PATH under `dotnet test`).</summary>
    public static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }
}
