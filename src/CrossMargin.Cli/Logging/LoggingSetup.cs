using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace CrossMargin.Cli.Logging;

/// <summary>
/// Builds the process logger: a human console sink on stderr and a rolling JSON file sink (one JSON
/// object per line, message rendered), each with its own minimum level.
/// </summary>
/// <remarks>
/// The console sink writes to stderr so stdout carries only results (tables, the live display, paths);
/// it stays at <see cref="LoggingSettings.ConsoleLevel"/> (Warning by default) while a live display runs.
/// The caller owns the returned logger and must dispose it to flush the file.
/// </remarks>
internal static class LoggingSetup
{
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>Creates the logger.</summary>
    /// <param name="settings">Levels and file.</param>
    /// <param name="consoleOverride">When set, console log lines go to this writer instead of stderr (tests).</param>
    public static Logger Create(LoggingSettings settings, TextWriter? consoleOverride = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var minimum = (LogEventLevel)Math.Min((int)settings.Level, (int)settings.ConsoleLevel);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("App", "crossmargin");

        configuration = consoleOverride is null
            ? configuration.WriteTo.Console(
                restrictedToMinimumLevel: settings.ConsoleLevel,
                outputTemplate: ConsoleTemplate,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                standardErrorFromLevel: LogEventLevel.Verbose)
            : configuration.WriteTo.Sink(
                new TextWriterSink(consoleOverride, new MessageTemplateTextFormatter(ConsoleTemplate, System.Globalization.CultureInfo.InvariantCulture)),
                settings.ConsoleLevel);

        if (settings.File.Length > 0)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(settings.File));
            if (folder is not null) Directory.CreateDirectory(folder);
            configuration = configuration.WriteTo.File(
                new JsonFormatter(renderMessage: true, formatProvider: System.Globalization.CultureInfo.InvariantCulture),
                settings.File,
                restrictedToMinimumLevel: settings.Level,
                fileSizeLimitBytes: settings.FileSizeLimitBytes,
                rollingInterval: RollingInterval.Day,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: settings.RetainedFiles);
        }

        return configuration.CreateLogger();
    }
}
