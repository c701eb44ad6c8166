using System.CommandLine;
using CrossMargin.Cli.Configuration;
using CrossMargin.Cli.Services;
using CrossMargin.Cli.Logging;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Commands;

/// <summary>
/// Runs a command body with the shared set-up and the exit-code policy: load configuration, honour
/// <c>--print-config</c>, create the logger, then map failures to exit codes (2 bad input, 3 engine
/// failure, 130 interrupted) with a one-line message on stderr.
/// </summary>
internal sealed class CommandRunner(GlobalOptions globals, EngineServices services, CliConsole console, TimeProvider time, TextWriter? logConsole)
{
    /// <summary>Runs <paramref name="body"/> for command <paramref name="name"/>; returns the exit code.</summary>
    public async Task<int> RunAsync(ParseResult parse, string name, Func<Invocation, Task<int>> body, CancellationToken cancellationToken)
    {
        CliConfiguration configuration;
        LoggingSettings logging;
        try
        {
            configuration = CliConfiguration.Load(parse.GetValue(globals.Config));
            if (parse.GetValue(globals.PrintConfig))
            {
                console.OutText.WriteLine(configuration.Render());
                return ExitCodes.Success;
            }

            logging = configuration.Logging(parse.GetValue(globals.LogLevel), console.Interactive);
        }
        catch (CliInputException e)
        {
            return Fail(name, e.Message, ExitCodes.BadInput);
        }

        using var logger = LoggingSetup.Create(logging, logConsole);
        var invocation = new Invocation(parse, new EngineContext(configuration, logger), services, console, time, cancellationToken);
        try
        {
            logger.Information("{Command} starting: {CommandLine}", name, string.Join(' ', parse.Tokens.Select(t => t.Value)));
            var code = await body(invocation).ConfigureAwait(false);
            logger.Information("{Command} finished with exit code {ExitCode}", name, code);
            return code;
        }
        catch (Exception e) when (e is CliInputException or RunInputException or ReportFormatException)
        {
            // Bad input is the user's to fix, not a crash: one line on the console (the message below), the
            // exception with its stack only in the JSON log file at debug level.
            logger.Debug(e, "{Command} refused its input", name);
            return Fail(name, e.Message, ExitCodes.BadInput);
        }
        catch (EngineUnavailableException e)
        {
            return Fail(name, e.Message, ExitCodes.EngineFailure, prefix: false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.Warning("{Command} interrupted", name);
            return Fail(name, "interrupted", ExitCodes.Interrupted);
        }
        catch (Exception e)
        {
            logger.Fatal(e, "{Command} failed", name);
            var where = logging.File.Length > 0 ? $" (details in the log: {logging.File})" : "";
            return Fail(name, $"engine failure: {e.GetType().Name}: {e.Message}{where}", ExitCodes.EngineFailure);
        }
    }

    private int Fail(string name, string message, int code, bool prefix = true)
    {
        console.Error.WriteLine(prefix ? $"{name}: {message}" : message);
        return code;
    }
}
