using System.CommandLine;
using CrossMargin.Cli.Logging;
using CrossMargin.Cli.Options;
using Serilog.Events;

namespace CrossMargin.Cli.Commands;

/// <summary>Options every command accepts: <c>--config FILE</c>, <c>--log-level LEVEL</c>, <c>--print-config</c>.</summary>
internal sealed class GlobalOptions
{
    /// <summary><c>--config FILE</c>: a HOCON application file layered over reference.conf.</summary>
    public Option<string?> Config { get; } = new("--config")
    {
        Description = "HOCON application file whose settings override the defaults (reference.conf)",
        HelpName = "FILE",
        Recursive = true,
        CustomParser = OptionParsing.ExistingFile,
    };

    /// <summary><c>--log-level</c>: the JSON log file's level (and the console's when output is not live).</summary>
    public Option<LogEventLevel?> LogLevel { get; } = new("--log-level")
    {
        Description = $"log level of the JSON log file ({string.Join(", ", LoggingSettings.LevelNames)}); overrides crossmargin.logging.level",
        HelpName = "LEVEL",
        Recursive = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
            if (LoggingSettings.TryParseLevel(text, out var level)) return level;
            result.AddError($"--log-level: '{text}' is not a log level; accepted {string.Join(", ", LoggingSettings.LevelNames)}");
            return null;
        },
    };

    /// <summary><c>--print-config</c>: print the resolved configuration and exit without running.</summary>
    public Option<bool> PrintConfig { get; } = new("--print-config")
    {
        Description = "print the resolved configuration (reference.conf + --config file + CROSSMARGIN__ environment overrides) as HOCON and exit without running",
        Recursive = true,
    };

    /// <summary>Adds the options to the root command (recursive: every subcommand accepts them).</summary>
    public void AddTo(RootCommand root)
    {
        root.Add(Config);
        root.Add(LogLevel);
        root.Add(PrintConfig);
    }
}
