namespace WsPool.Local.Node;

/// <summary>
/// The running copy of a balancer's config file: the mounted file (in the pod's volume directory) rewritten by
/// <see cref="ConfigRewrite"/> into the container's own directory, which is what HAProxy (<c>-f</c>) or NGINX
/// (<c>-c</c>) is given. The mounted file is never edited, so the next volume sync compares like with like.
/// </summary>
internal sealed class BalancerConfig(ContainerKind kind, string mountedFile, string copyPath, MountMap mounts, string podIP,
    string podDirectory, string? nginxStreamModule)
{
    public string MountedFile => mountedFile;
    public string CopyPath => copyPath;

    /// <summary>Rewrites the mounted file into the copy; true when the copy's content changed.</summary>
    /// <exception cref="MissingSourceException">The mounted file is not there (a ConfigMap without that key).</exception>
    public bool Refresh()
    {
        if (!File.Exists(mountedFile))
            throw new MissingSourceException("CreateContainerError", $"the balancer config {mountedFile} is not in its mounted volume");
        var text = File.ReadAllText(mountedFile);
        var rewritten = kind == ContainerKind.HAProxy
            ? ConfigRewrite.HAProxy(text, mounts, podIP, podDirectory)
            : ConfigRewrite.Nginx(text, mounts, podIP, podDirectory, nginxStreamModule);
        if (File.Exists(copyPath) && File.ReadAllText(copyPath) == rewritten) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(copyPath)!);
        // Where ConfigRewrite moves sockets and pid files that no mount covers.
        Directory.CreateDirectory(Path.Combine(podDirectory, "run"));
        var temporary = copyPath + ".tmp";
        File.WriteAllText(temporary, rewritten);
        File.Move(temporary, copyPath, overwrite: true);
        return true;
    }
}
