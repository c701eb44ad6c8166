using System.Text.Json;

namespace CrossMargin.Engine.Reporting;

/// <summary>
/// Writes <see cref="SimulationReport"/> and <see cref="ReportComparison"/> as JSON (<c>report.json</c>,
/// <c>comparison.json</c>) that <see cref="ReportJsonReader"/> reads back.
/// </summary>
/// <remarks>
/// Stable output: properties in declaration order, account fates sorted by id (ordinal), decimals written
/// exactly as JSON numbers (never through double), LF line endings, UTF-8 without BOM. The same report
/// always gives the same bytes. Stateless; thread-safe.
/// </remarks>
public static class ReportJsonWriter
{
    /// <summary>The report as a JSON string.</summary>
    public static string ToJson(SimulationReport report) =>
        JsonSerializer.Serialize(Normalize(report), ReportJson.Options);

    /// <summary>The comparison (both reports included) as a JSON string.</summary>
    public static string ToJson(ReportComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var normalized = comparison with
        {
            Baseline = Normalize(comparison.Baseline),
            Candidate = Normalize(comparison.Candidate),
        };
        return JsonSerializer.Serialize(normalized, ReportJson.Options);
    }

    /// <summary>Writes the report to <paramref name="path"/>, replacing any file there; creates the folder.</summary>
    public static void Write(SimulationReport report, string path) => WriteText(ToJson(report), path);

    /// <summary>Writes the comparison to <paramref name="path"/>, replacing any file there; creates the folder.</summary>
    public static void Write(ReportComparison comparison, string path) => WriteText(ToJson(comparison), path);

    internal static void WriteText(string text, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllText(path, text + "\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static SimulationReport Normalize(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sorted = new SortedDictionary<string, AccountFate>(StringComparer.Ordinal);
        foreach (var (id, fate) in report.AccountFates)
        {
            sorted[id] = fate;
        }

        return report with { AccountFates = sorted };
    }
}
