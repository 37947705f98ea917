namespace WsPool.Core.Tests.Architecture;

/// <summary>Folder <paramref name="From"/> uses folder <paramref name="To"/>; <paramref name="Example"/> shows where.</summary>
/// <param name="From">The using folder.</param>
/// <param name="To">The used folder.</param>
/// <param name="Example">One place that makes the edge, e.g. "Kubernetes/OwnedKind.cs:140 FieldManager.Name".</param>
internal sealed record FolderEdge(string From, string To, string Example);
