using System.Text.Json;

namespace CrossMargin.Engine.Reporting;

/// <summary>Reads reports written by <see cref="ReportJsonWriter"/> (for <c>what-if</c>, comparisons and <c>loadtest compare</c>).</summary>
/// <remarks>Refuses other schema versions and malformed files with a <see cref="ReportFormatException"/> naming the file, line and JSON path. Stateless; thread-safe.</remarks>
public static class ReportJsonReader
{
    /// <summary>Reads a <c>report.json</c> file.</summary>
    /// <exception cref="ReportFormatException">The file is not a report this version can read.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SimulationReport Read(string path) => Parse<SimulationReport>(File.ReadAllText(path), path);

    /// <summary>Parses report JSON; <paramref name="source"/> names it in errors (a path or "&lt;string&gt;").</summary>
    /// <exception cref="ReportFormatException">The text is not a report this version can read.</exception>
    public static SimulationReport Parse(string json, string source = "<string>") => Parse<SimulationReport>(json, source);

    /// <summary>Parses comparison JSON written by <see cref="ReportJsonWriter.ToJson(ReportComparison)"/>.</summary>
    /// <exception cref="ReportFormatException">The text is not a comparison this version can read.</exception>
    public static ReportComparison ParseComparison(string json, string source = "<string>") => Parse<ReportComparison>(json, source);

    private static T Parse<T>(string json, string source)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            CheckSchemaVersion(document.RootElement, typeof(T) == typeof(SimulationReport), source);
            return document.Deserialize<T>(ReportJson.Options)
                ?? throw new ReportFormatException(source, "the document is null");
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, position {e.BytePositionInLine + 1}, " : "";
            throw new ReportFormatException(source, $"{where}{e.Path ?? "$"}: {e.Message}", e);
        }
    }

    private static void CheckSchemaVersion(JsonElement root, bool isReport, string source)
    {
        if (!isReport) return;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ReportFormatException(source, $"expected a JSON object, found {root.ValueKind}");
        }

        if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number)
        {
            throw new ReportFormatException(source, "$.schemaVersion is missing: not a crossmargin report");
        }

        if (!version.TryGetInt32(out var v) || v != SimulationReport.CurrentSchemaVersion)
        {
            throw new ReportFormatException(source, $"$.schemaVersion is {version.GetRawText()}; this version reads {SimulationReport.CurrentSchemaVersion}");
        }
    }
}

/// <summary>A report file could not be read: wrong schema version or malformed JSON.</summary>
public sealed class ReportFormatException : Exception
{
    /// <summary>Creates the error for <paramref name="source"/> (a file path) with what is wrong and where.</summary>
    public ReportFormatException(string source, string detail, Exception? inner = null)
        : base($"{source}: {detail}", inner)
    {
        File = source;
    }

    /// <summary>The file (or "&lt;string&gt;") that was being read.</summary>
    public string File { get; }
}
