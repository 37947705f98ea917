namespace WsPool.Install.Tests.RealServer;

/// <summary>Splits the multi-document YAML that helm and kubectl print.</summary>
internal static class HelmOutput
{
    public static IReadOnlyList<string> Documents(string yaml) =>
        yaml.Replace("\r\n", "\n").Split("\n---", StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.TrimStart('-', '\n'))
            .Where(d => d.Contains("kind:"))
            .ToList();
}
