namespace WsPool.Core.Crd;

/// <summary>Generates the WebSocketPool CustomResourceDefinition from the C# API types.</summary>
public static class CrdGenerator
{
    // Placeholder until the CRD work lands.
    public static string ToYaml() => "";
}
