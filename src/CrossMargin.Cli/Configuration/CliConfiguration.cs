using CrossMargin.Cli.Logging;
using CrossMargin.Engine.Reporting;
using CrossMargin.Hocon;
using Serilog.Events;

namespace CrossMargin.Cli.Configuration;

/// <summary>
/// The configuration a command runs with: the defaults (reference.conf), then <c>--config FILE</c>, then
/// <c>--set key=value</c> overrides, each layer falling back to the one before (HOCON semantics).
/// </summary>
/// <remarks>The only file of the CLI that calls the HOCON reader. Immutable once loaded.</remarks>
internal sealed class CliConfiguration
{
    private CliConfiguration(Config config, string? applicationFile)
    {
        Config = config;
        ApplicationFile = applicationFile;
    }

    /// <summary>The resolved HOCON configuration.</summary>
    public Config Config { get; }

    /// <summary>The <c>--config</c> file, when one was given.</summary>
    public string? ApplicationFile { get; }

    /// <summary>Loads environment overrides (<c>CROSSMARGIN__…</c>) ← <paramref name="applicationFile"/> ← reference.conf.</summary>
    /// <exception cref="CliInputException">The file does not parse or resolve; the message carries file:line:col.</exception>
    public static CliConfiguration Load(string? applicationFile)
    {
        try
        {
            return new CliConfiguration(ConfigurationFactory.Load(applicationFile), applicationFile);
        }
        catch (HoconException e)
        {
            throw new CliInputException($"configuration: {e.Message}", e);
        }
    }

    /// <summary>This configuration with <paramref name="overrides"/> layered on top (as if appended to the application file; substitutions may refer to existing values).</summary>
    /// <exception cref="CliInputException">An override does not parse or resolve.</exception>
    public CliConfiguration WithOverrides(IReadOnlyList<ConfigOverride> overrides)
    {
        if (overrides.Count == 0) return this;
        try
        {
            var text = string.Join('\n', overrides.Select(o => o.ToHocon()));
            return new CliConfiguration(ConfigurationFactory.ParseString(text, "--set", Config), ApplicationFile);
        }
        catch (HoconException e)
        {
            throw new CliInputException($"--set: {e.Message}", e);
        }
    }

    /// <summary>Parses one override as HOCON; returns the parser's error (with position) or null when it parses.</summary>
    public static string? ValidateOverride(ConfigOverride item)
    {
        try
        {
            _ = ConfigurationFactory.ParseString(item.ToHocon(), "--set");
            return null;
        }
        catch (HoconParseException e)
        {
            return e.Message;
        }
        catch (HoconResolveException)
        {
            // A substitution such as ${crossmargin.risk.x} can only resolve against the full configuration,
            // which the engine layers the override onto; syntax is all that can be checked here.
            return null;
        }
    }

    /// <summary>The whole configuration as JSON-shaped HOCON, each key preceded by a <c>// file:line:col</c> comment saying where its value came from (<c>--print-config</c>).</summary>
    public string Render() => Config.Render(withOrigins: true);

    /// <summary>
    /// Logging settings from <c>crossmargin.logging.*</c>, with <paramref name="cliLevel"/> (<c>--log-level</c>)
    /// replacing <c>crossmargin.logging.level</c>; when the output is not a live display the console follows it too.
    /// </summary>
    /// <exception cref="CliInputException">A level word or size is not recognised; the message names the key.</exception>
    public LoggingSettings Logging(LogEventLevel? cliLevel, bool liveDisplay)
    {
        var d = LoggingSettings.Default;
        var level = cliLevel ?? Level("crossmargin.logging.level", d.Level);
        var consoleLevel = Level("crossmargin.logging.console-level", d.ConsoleLevel);
        if (cliLevel is { } requested && !liveDisplay && requested < consoleLevel)
        {
            consoleLevel = requested;
        }

        try
        {
            var file = Config.GetString("crossmargin.logging.file", d.File);
            var retained = Config.GetInt("crossmargin.logging.retained-files", d.RetainedFiles);
            var size = Config.GetByteSize("crossmargin.logging.file-size-limit", d.FileSizeLimitBytes);
            if (retained < 1) throw new CliInputException($"configuration: crossmargin.logging.retained-files = {retained} must be 1 or more");
            if (size < 1024) throw new CliInputException($"configuration: crossmargin.logging.file-size-limit = {size} bytes must be at least 1KiB");
            return new LoggingSettings(level, consoleLevel, file, retained, size);
        }
        catch (HoconException e)
        {
            throw new CliInputException($"configuration: {e.Message}", e);
        }
    }

    private LogEventLevel Level(string path, LogEventLevel fallback)
    {
        if (!Config.HasPath(path)) return fallback;
        var text = Config.GetString(path, "");
        return LoggingSettings.TryParseLevel(text, out var level)
            ? level
            : throw new CliInputException($"configuration: {path} = '{text}' is not a log level; accepted {string.Join(", ", LoggingSettings.LevelNames)}");
    }
}
