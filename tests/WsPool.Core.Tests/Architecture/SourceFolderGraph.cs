using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace WsPool.Core.Tests.Architecture;

/// <summary>
/// The folder graph of one project under src/, read with the C# compiler's semantic model, so every way a file can
/// name another folder's code counts: a using directive, a qualified name (`WsPool.Core.Rendering.X`), a name relative
/// to the enclosing namespace (`Rendering.X` written in WsPool.Core.Balancers), an extension method or a
/// target-typed `new()`. A folder is the namespace one level below the project's root namespace ("Balancers" for
/// WsPool.Core.Balancers and anything below it); the root namespace and top-level statements are "(root)". XML doc
/// references are not dependencies.
/// </summary>
internal static partial class SourceFolderGraph
{
    public const string Root = "(root)";

    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private static readonly string[] WebImplicitUsings =
    [
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    /// <param name="projectDirectory">The folder of the project's .csproj (src/NAME).</param>
    /// <param name="rootNamespace">The project's root namespace, e.g. WsPool.Core.</param>
    public static FolderGraph Of(string projectDirectory, string rootNamespace)
    {
        var csproj = Directory.GetFiles(projectDirectory, "*.csproj").Single();
        var project = Path.GetFileNameWithoutExtension(csproj);
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var files = SourceFiles(projectDirectory).ToList();
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f)).ToList();
        var usings = CSharpSyntaxTree.ParseText(GlobalUsings(File.ReadAllText(csproj)), parse, "GlobalUsings.g.cs");
        var compilation = CSharpCompilation.Create(project, [.. trees, usings], References(project),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: true));

        var examples = new Dictionary<(string From, string To), (string Example, bool IsUsing)>();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            var relative = Path.GetRelativePath(projectDirectory, tree.FilePath).Replace('\\', '/');
            foreach (var (node, target) in References(tree.GetCompilationUnitRoot(), model, compilation))
            {
                var from = Folder(NamespaceOf(node), rootNamespace);
                var to = Folder(target.Namespace, rootNamespace);
                if (from is null || to is null || from == to) continue;
                // The first place per edge is the example, but a using line only until code that needs the folder
                // turns up: that says more about what to move.
                if (examples.TryGetValue((from, to), out var known) && (!known.IsUsing || target.IsUsing)) continue;
                var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                examples[(from, to)] = ($"{relative}:{line} {target.What}", target.IsUsing);
            }
        }

        var graph = new FolderGraph();
        foreach (var ((from, to), (example, _)) in examples) graph.Add(new FolderEdge(from, to, example));
        return graph;
    }

    private sealed record Target(string Namespace, string What, bool IsUsing);

    private static IEnumerable<(SyntaxNode Node, Target Target)> References(CompilationUnitSyntax unit, SemanticModel model,
        Compilation compilation)
    {
        foreach (var node in unit.DescendantNodes())
        {
            switch (node)
            {
                case UsingDirectiveSyntax { NamespaceOrType: { } name } directive:
                    var used = model.GetSymbolInfo(name).Symbol;
                    var ns = used switch
                    {
                        INamespaceSymbol n => n,
                        INamedTypeSymbol t when InSource(t, compilation) => t.ContainingNamespace,
                        _ => null,
                    };
                    if (ns is not null) yield return (directive, new Target(Display(ns), directive.ToString().Trim(), IsUsing: true));
                    break;
                case SimpleNameSyntax simple when !InsideUsingOrNamespaceName(simple) && !(simple is IdentifierNameSyntax { IsVar: true }):
                    if (TypeOf(Bound(model.GetSymbolInfo(simple))) is { } type && InSource(type, compilation))
                        yield return (simple, new Target(Display(type.ContainingNamespace), Describe(simple, type), IsUsing: false));
                    break;
                case ImplicitObjectCreationExpressionSyntax created:
                    if (TypeOf(Bound(model.GetSymbolInfo(created))) is { } createdType && InSource(createdType, compilation))
                        yield return (created, new Target(Display(createdType.ContainingNamespace), $"new() {createdType.Name}", IsUsing: false));
                    break;
            }
        }
    }

    /// <summary>The symbol a name binds to; when overload resolution failed, a candidate still names the right type.</summary>
    private static ISymbol? Bound(SymbolInfo info) => info.Symbol ?? info.CandidateSymbols.FirstOrDefault();

    /// <summary>The type whose folder a reference to <paramref name="symbol"/> depends on: a type itself, or a member's type.</summary>
    private static INamedTypeSymbol? TypeOf(ISymbol? symbol) => symbol switch
    {
        IAliasSymbol alias => TypeOf(alias.Target),
        INamedTypeSymbol type => type.OriginalDefinition,
        IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction } => null,
        IMethodSymbol method => (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition,
        IPropertySymbol or IFieldSymbol or IEventSymbol => symbol.ContainingType?.OriginalDefinition,
        _ => null, // namespaces (their types count instead), locals, parameters, type parameters, labels
    };

    private static bool InSource(ISymbol symbol, Compilation compilation) =>
        SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, compilation.Assembly);

    private static string Describe(SimpleNameSyntax name, INamedTypeSymbol type) =>
        name.Identifier.ValueText == type.Name ? type.Name : $"{type.Name}.{name.Identifier.ValueText}";

    private static bool InsideUsingOrNamespaceName(SyntaxNode node) =>
        node.Ancestors().Any(a => a is UsingDirectiveSyntax)
        || node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Any(n => n.Name.Span.Contains(node.Span));

    /// <summary>The namespace code at <paramref name="node"/> is in; a using outside any namespace counts for the file's.</summary>
    private static string NamespaceOf(SyntaxNode node)
    {
        var declared = node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()
            ?? node.SyntaxTree.GetCompilationUnitRoot().DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault();
        if (declared is null) return "";
        var names = declared.AncestorsAndSelf().OfType<BaseNamespaceDeclarationSyntax>().Reverse().Select(n => n.Name.ToString());
        return string.Join('.', names);
    }

    private static string Display(INamespaceSymbol ns) => ns.IsGlobalNamespace ? "" : ns.ToDisplayString();

    /// <summary>The folder of a namespace in this project, or null for another project's or a library's.</summary>
    private static string? Folder(string ns, string rootNamespace)
    {
        if (ns == "" || ns == rootNamespace) return Root;
        if (!ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal)) return null;
        return ns[(rootNamespace.Length + 1)..].Split('.')[0];
    }

    private static IEnumerable<string> SourceFiles(string projectDirectory) =>
        Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(projectDirectory, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    /// <summary>What the SDK generates into obj/: the implicit usings, the Web SDK's too, and the project's &lt;Using&gt; items.</summary>
    private static string GlobalUsings(string csproj)
    {
        var namespaces = ImplicitUsings
            .Concat(csproj.Contains("Microsoft.NET.Sdk.Web", StringComparison.Ordinal) ? WebImplicitUsings : [])
            .Concat(UsingItem().Matches(csproj).Select(m => m.Groups[1].Value));
        return string.Concat(namespaces.Select(n => $"global using global::{n};\n"));
    }

    /// <summary>
    /// The runtime the tests run on, the ASP.NET Core shared framework (the operator is a web project) and the
    /// libraries next to the tests (KubernetesClient, YamlDotNet, WsPool.Core for the projects that use it). Binding
    /// needs the libraries to see, for instance, an extension method of this project called on a Kubernetes type;
    /// a library missing here only hides such calls, it never invents an edge.
    /// </summary>
    private static List<MetadataReference> References(string project)
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var runtime = Path.TrimEndingDirectorySeparator(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory());
        var web = AspNetCoreFramework(runtime) is { } aspNet ? Directory.GetFiles(aspNet, "*.dll") : [];
        return trusted.Concat(web)
            .Where(f => Path.GetFileNameWithoutExtension(f) != project)
            .DistinctBy(Path.GetFileName)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToList();
    }

    /// <summary>The ASP.NET Core shared framework beside the running runtime: the same version, else the newest of its major.</summary>
    private static string? AspNetCoreFramework(string runtimeDirectory)
    {
        var version = Path.GetFileName(runtimeDirectory);
        var frameworks = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(runtimeDirectory))!, "Microsoft.AspNetCore.App");
        if (!Directory.Exists(frameworks)) return null;
        var exact = Path.Combine(frameworks, version);
        return Directory.Exists(exact)
            ? exact
            : Directory.GetDirectories(frameworks).Where(d => Path.GetFileName(d).Split('.')[0] == version.Split('.')[0])
                .OrderBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version()).LastOrDefault();
    }

    [GeneratedRegex("""<Using\s+Include="([^"]+)"\s*/>""")]
    private static partial Regex UsingItem();
}
