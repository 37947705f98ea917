using System.CommandLine;
using WsPool.Core.Intent;
using WsPool.Core.Loading;
using WsPool.Core.Rendering;
using WsPool.Core.Validation;

namespace WsPool.Cli;

/// <summary>
/// `wspool render -f FILE [-o DIR]`: every object the operator would apply for each pool, as multi-document YAML on
/// stdout, or written to DIR/&lt;pool&gt;/manifests.yaml plus the balancer's config files. Invalid input fails
/// exactly as validate does, and nothing is written unless everything rendered.
/// </summary>
internal static class RenderCommand
{
    public static Command Create(CliIo io)
    {
        var file = FileOption.Create();
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write DIR/<pool-name>/manifests.yaml and the balancer config files instead of printing.",
            HelpName = "DIR",
        };
        var resolver = new Option<string?>("--resolver")
        {
            Description = "The DNS resolver HAProxy asks for the backend pods, instead of the cluster's resolv.conf.",
            HelpName = "HOST:PORT",
        };
        resolver.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !HostPort.TryParse(value, out _, out var error))
                result.AddError($"--resolver {error}");
        });
        var backends = new Option<string?>("--backends")
        {
            Description = "Static upstream servers for a managed NGINX, comma-separated.",
            HelpName = "HOST:PORT,...",
        };
        backends.Validators.Add(result =>
        {
            foreach (var backend in Split(result.GetValueOrDefault<string?>()))
                if (!HostPort.TryParse(backend, out _, out var error))
                    result.AddError($"--backends: '{backend}' {error}");
        });

        var command = new Command("render", "Render every Kubernetes object and balancer config the operator would apply for each pool.")
        {
            file, output, resolver, backends,
        };
        command.SetAction(parse =>
        {
            if (io.ReadInput(parse.GetRequiredValue(file)) is not { } input) return ExitCodes.Usage;
            var checkedFile = PoolFileChecker.Check(input.Text, input.DisplayName);
            if (!checkedFile.IsValid)
            {
                io.ReportProblems(checkedFile);
                return ExitCodes.InvalidInput;
            }

            var options = new RenderOptions
            {
                ResolverAddress = Canonical(parse.GetValue(resolver)),
                Backends = Split(parse.GetValue(backends)).Select(b => Canonical(b)!).ToList() is { Count: > 0 } list ? list : null,
            };
            var rendered = checkedFile.Pools.Select(p => PoolIntent.For(p.Pool, options)).ToList();
            return parse.GetValue(output) is { } directory
                ? WriteFiles(io, directory, rendered)
                : Print(io, rendered);
        });
        return command;
    }

    private static int Print(CliIo io, IReadOnlyList<PoolIntent> rendered)
    {
        var documents = rendered.Select(r => ManifestWriter.ToYaml(r.Objects)).Where(y => y.Length > 0).Select(EndWithNewline);
        io.Out.Write(string.Join("---\n", documents));
        return ExitCodes.Ok;
    }

    private static int WriteFiles(CliIo io, string directory, IReadOnlyList<PoolIntent> rendered)
    {
        // Plan every file first: a clash or a bad file name must stop the command before anything is written.
        var files = new List<(string Path, string Text)>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pool in rendered)
        {
            var name = pool.Pool.Metadata.Name;
            var id = PoolNames.Of(pool.Pool).Namespace + "/" + name;
            if (owners.TryGetValue(name, out var other))
            {
                io.Error.WriteLine($"wspool: pools {other} and {id} would both write {Path.Combine(directory, name)}; render them separately");
                return ExitCodes.InvalidInput;
            }
            owners[name] = id;
            var poolDirectory = Path.Combine(directory, name);
            files.Add((Path.Combine(poolDirectory, "manifests.yaml"), EndWithNewline(ManifestWriter.ToYaml(pool.Objects))));
            foreach (var (fileName, text) in pool.ConfigFiles.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (fileName.Length == 0 || fileName != Path.GetFileName(fileName) || fileName is "." or ".." || fileName == "manifests.yaml")
                    throw new InvalidOperationException($"the renderer produced a config file named '{fileName}', which is not a plain file name");
                files.Add((Path.Combine(poolDirectory, fileName), text));
            }
        }

        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            io.Out.WriteLine($"wrote {path}");
        }
        return ExitCodes.Ok;
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Canonical(string? address) =>
        address is not null && HostPort.TryParse(address, out var canonical, out _) ? canonical : null;

    private static string EndWithNewline(string yaml) => yaml.Length == 0 || yaml.EndsWith('\n') ? yaml : yaml + "\n";
}
