using Serilog.Events;

namespace CrossMargin.Cli.Logging;

/// <summary>
/// How the CLI logs, from HOCON (<c>crossmargin.logging.*</c>) and <c>--log-level</c>.
/// </summary>
/// <param name="Level">Minimum level of the JSON file sink (<c>crossmargin.logging.level</c>, overridden by <c>--log-level</c>).</param>
/// <param name="ConsoleLevel">Minimum level of the human console sink on stderr (<c>crossmargin.logging.console-level</c>); kept at Warning by default so log lines do not tear the live display.</param>
/// <param name="File">Path of the rolling JSON log (<c>crossmargin.logging.file</c>); Serilog inserts the date before the extension; empty disables the file sink.</param>
/// <param name="RetainedFiles">How many rolled files to keep (<c>crossmargin.logging.retained-files</c>).</param>
/// <param name="FileSizeLimitBytes">Size at which a file rolls over early (<c>crossmargin.logging.file-size-limit</c>).</param>
internal sealed record LoggingSettings(LogEventLevel Level, LogEventLevel ConsoleLevel, string File, int RetainedFiles, long FileSizeLimitBytes)
{
    /// <summary>The defaults proposed for <c>hocon/reference.conf</c>.</summary>
    public static LoggingSettings Default { get; } = new(LogEventLevel.Information, LogEventLevel.Warning, "./data/logs/crossmargin-.json", 7, 100L * 1024 * 1024);

    /// <summary>The level words accepted by <c>--log-level</c> and the HOCON keys.</summary>
    public static IReadOnlyList<string> LevelNames { get; } = ["verbose", "debug", "information", "warning", "error", "fatal"];

    /// <summary>Parses a level word (case-insensitive; <c>info</c>, <c>warn</c> and <c>trace</c> accepted as aliases).</summary>
    public static bool TryParseLevel(string? text, out LogEventLevel level)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "verbose" or "trace": level = LogEventLevel.Verbose; return true;
            case "debug": level = LogEventLevel.Debug; return true;
            case "information" or "info": level = LogEventLevel.Information; return true;
            case "warning" or "warn": level = LogEventLevel.Warning; return true;
            case "error": level = LogEventLevel.Error; return true;
            case "fatal": level = LogEventLevel.Fatal; return true;
            default: level = default; return false;
        }
    }
}
