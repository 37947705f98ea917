namespace WsPool.Core.Tests.Architecture;

/// <summary>The scanner on a small project written for each test: every way C# can name another folder's code.</summary>
public sealed class SourceFolderGraphTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("wspool-arch-").FullName;

    public SourceFolderGraphTests()
    {
        File.WriteAllText(Path.Combine(_project, "WsPool.Demo.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        Write("Validation/Rules.cs", """
            namespace WsPool.Demo.Validation;
            public static class Rules
            {
                public static bool Check(string text) => text.Length > 0;
                public static bool IsShort(this string text) => text.Length < 8;
            }
            public sealed class Options { }
            """);
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    [Fact]
    public void A_using_directive_is_a_dependency()
    {
        Write("Balancers/A.cs", """
            using WsPool.Demo.Validation;
            namespace WsPool.Demo.Balancers;
            public static class A { }
            """);

        Edges().Should().Equal("Balancers → Validation: Balancers/A.cs:1 using WsPool.Demo.Validation;");
    }

    [Fact]
    public void A_name_relative_to_the_enclosing_namespace_is_a_dependency()
    {
        Write("Balancers/A.cs", """
            namespace WsPool.Demo.Balancers;
            public static class A
            {
                public static bool Ok(string s) => Validation.Rules.Check(s);
            }
            """);

        Edges().Should().Equal("Balancers → Validation: Balancers/A.cs:4 Rules");
    }

    [Fact]
    public void A_fully_qualified_name_is_a_dependency()
    {
        Write("Balancers/A.cs", """
            namespace WsPool.Demo.Balancers;
            public static class A
            {
                public static object Make() => new WsPool.Demo.Validation.Options();
            }
            """);

        Edges().Should().Equal("Balancers → Validation: Balancers/A.cs:4 Options");
    }

    [Fact]
    public void An_extension_method_call_is_a_dependency_of_its_class()
    {
        Write("Balancers/A.cs", """
            using static WsPool.Demo.Validation.Rules;
            namespace WsPool.Demo.Balancers;
            public static class A
            {
                public static bool Ok(string s) => s.IsShort();
            }
            """);

        Edges().Should().Equal("Balancers → Validation: Balancers/A.cs:5 Rules.IsShort");
    }

    [Fact]
    public void A_target_typed_new_is_a_dependency_of_the_type_it_creates()
    {
        Write("Balancers/A.cs", """
            namespace WsPool.Demo.Balancers;
            public static class A
            {
                public static void Take(Validation.Options options) { }
                public static void Call() => Take(new());
            }
            """);
        Write("Rendering/B.cs", """
            namespace WsPool.Demo.Rendering;
            public static class B
            {
                public static void Call() => Balancers.A.Take(new());
            }
            """);

        Edges().Should().Contain("Rendering → Validation: Rendering/B.cs:4 new() Options");
    }

    [Fact]
    public void A_documentation_reference_is_no_dependency()
    {
        Write("Balancers/A.cs", """
            namespace WsPool.Demo.Balancers;
            /// <summary>Like <see cref="Validation.Rules.Check"/>.</summary>
            public static class A { }
            """);

        Edges().Should().BeEmpty();
    }

    [Fact]
    public void Code_that_needs_a_folder_is_a_better_example_than_a_using_line()
    {
        Write("Balancers/A.cs", """
            using WsPool.Demo.Validation;
            namespace WsPool.Demo.Balancers;
            public static class A
            {
                public static bool Ok(string s) => Rules.Check(s);
            }
            """);

        Edges().Should().Equal("Balancers → Validation: Balancers/A.cs:5 Rules");
    }

    [Fact]
    public void The_root_namespace_and_top_level_statements_are_the_root_folder()
    {
        Write("Program.cs", "System.Console.WriteLine(WsPool.Demo.Validation.Rules.Check(\"x\"));\n");

        Edges().Should().Equal("(root) → Validation: Program.cs:1 Rules");
    }

    private void Write(string relativePath, string code)
    {
        var path = Path.Combine(_project, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, code);
    }

    private List<string> Edges() =>
        SourceFolderGraph.Of(_project, "WsPool.Demo").Edges.Select(e => $"{e.From} → {e.To}: {e.Example}").ToList();
}
