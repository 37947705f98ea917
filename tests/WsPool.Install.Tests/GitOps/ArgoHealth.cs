using System.Text.Json;
using k8s;
using WsPool.Core.Api;
using WsPool.Install.Tests.Support;

namespace WsPool.Install.Tests.GitOps;

/// <summary>Runs the shipped Argo CD health script in the real lua5.4 interpreter, as Argo CD does: obj set, hs returned.</summary>
internal static class ArgoHealth
{
    public static string ScriptPath => Repo.Chart("docs", "argocd-health-websocketpool.lua");

    public sealed record Health(string Status, string Message);

    public static Task<Health> EvaluateAsync(WebSocketPool pool) =>
        EvaluateAsync(JsonDocument.Parse(KubernetesJson.Serialize(pool)).RootElement);

    public static async Task<Health> EvaluateAsync(JsonElement obj)
    {
        var harness = $"""
            obj = {LuaTable.From(obj)}
            local hs = assert(loadfile(arg[1]))()
            assert(type(hs) == "table", "the script must return the hs table")
            io.write(hs.status, "\n", hs.message or "", "\n")
            """;
        var file = Path.Combine(Path.GetTempPath(), $"wspool-argo-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(file, harness);
        try
        {
            var result = await ToolRun.RunAsync(Tools.Path(Tools.Lua), [file, ScriptPath], TimeSpan.FromSeconds(20), workingDirectory: Repo.Root);
            result.ExitCode.Should().Be(0, result.Stderr);
            var lines = result.Stdout.Split('\n');
            return new Health(lines[0], lines.Length > 1 ? lines[1] : "");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
