using Spectre.Console;

namespace CrossMargin.Cli;

/// <summary>
/// Where a command writes: <see cref="Out"/> for results (tables, live progress), <see cref="Error"/> for
/// error messages. Tests pass writers; the real program passes the terminal.
/// </summary>
/// <param name="Out">Spectre console for results and the live display.</param>
/// <param name="Error">Plain writer for errors (stderr).</param>
/// <param name="Interactive">True when <see cref="Out"/> is a terminal that can redraw a live display; false when redirected, piped or under test (plain periodic lines instead).</param>
/// <param name="OutText">The same stream as <see cref="Out"/> as a plain writer, for help text.</param>
internal sealed record CliConsole(IAnsiConsole Out, TextWriter Error, bool Interactive, TextWriter OutText)
{
    /// <summary>The process's terminal: interactive unless stdout is redirected or the terminal cannot redraw.</summary>
    public static CliConsole System()
    {
        if (Console.IsOutputRedirected)
        {
            // Piped or written to a file: no escape codes, no redraws, wide tables.
            return Plain(Console.Out, Console.Error);
        }

        var console = AnsiConsole.Console;
        var interactive = console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
        return new CliConsole(console, Console.Error, interactive, Console.Out);
    }

    /// <summary>A non-interactive console writing plain text (no colours, no redraws) to <paramref name="out"/>; for tests and pipes.</summary>
    public static CliConsole Plain(TextWriter @out, TextWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(@out),
        });
        console.Profile.Width = 160;
        return new CliConsole(console, error, false, @out);
    }

    /// <summary>Writes plain text and a newline to the output stream, unwrapped (no markup interpretation, no line breaking at the console width).</summary>
    public void Line(string text = "") => OutText.WriteLine(text);
}
