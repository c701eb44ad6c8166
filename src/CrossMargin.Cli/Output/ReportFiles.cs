using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Output;

/// <summary>Writes report.json and report.html (or the comparison pair) into a report folder and tells the user where.</summary>
internal static class ReportFiles
{
    /// <summary>Writes <c>report.json</c> and <c>report.html</c> into <paramref name="folder"/> (created); returns the HTML path.</summary>
    /// <exception cref="CliInputException">The folder cannot be created or written (exit 2: the <c>--report</c> option is at fault).</exception>
    public static string WriteReport(SimulationReport report, string folder) => Guard(folder, () =>
    {
        Directory.CreateDirectory(folder);
        ReportJsonWriter.Write(report, Path.Combine(folder, "report.json"));
        var html = Path.Combine(folder, "report.html");
        ReportHtmlWriter.Write(report, html);
        return Path.GetFullPath(html);
    });

    /// <summary>Writes <c>comparison.json</c> and <c>comparison.html</c> into <paramref name="folder"/> (created); returns the HTML path.</summary>
    /// <exception cref="CliInputException">The folder cannot be created or written.</exception>
    public static string WriteComparison(ReportComparison comparison, string folder) => Guard(folder, () =>
    {
        Directory.CreateDirectory(folder);
        ReportJsonWriter.Write(comparison, Path.Combine(folder, "comparison.json"));
        var html = Path.Combine(folder, "comparison.html");
        ReportHtmlWriter.Write(comparison, html);
        return Path.GetFullPath(html);
    });

    private static string Guard(string folder, Func<string> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"--report: cannot write the report into {Path.GetFullPath(folder)}: {e.Message}", e);
        }
    }

    /// <summary>Prints where the report is and how to open it.</summary>
    public static void Announce(CliConsole console, string what, string htmlPath)
    {
        var folder = Path.GetDirectoryName(htmlPath) ?? ".";
        console.Line($"{what}: {htmlPath}");
        console.Line($"  data: {Path.Combine(folder, Path.GetFileNameWithoutExtension(htmlPath) + ".json")}");
        console.Line($"  open it offline in any browser, e.g. xdg-open \"{htmlPath}\" (Linux), open \"{htmlPath}\" (macOS), or file://{htmlPath}");
    }
}
