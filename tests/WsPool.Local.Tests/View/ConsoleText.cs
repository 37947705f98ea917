using Spectre.Console;
using Spectre.Console.Rendering;

namespace WsPool.Local.Tests.View;

/// <summary>What a user reads: a renderable written to a wide console without colors or ANSI codes.</summary>
public static class ConsoleText
{
    public static string Of(IRenderable renderable, int width = 200)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        console.Write(renderable);
        return writer.ToString();
    }

    /// <summary>The line that mentions <paramref name="text"/> (a pod's row), failing when there is not exactly one.</summary>
    public static string LineWith(string output, string text)
    {
        var lines = output.Split('\n').Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();
        lines.Should().ContainSingle($"one line mentions '{text}' in:\n{output}");
        return lines[0];
    }
}
