using System.CommandLine;
using System.CommandLine.Help;
using CrossMargin.Cli.Commands;
using CrossMargin.Cli.Services;

namespace CrossMargin.Cli;

/// <summary>
/// The <c>crossmargin</c> command tree and how it runs: parse strictly (any parse error exits 2 with a
/// message naming the option and what it accepts), then invoke the command.
/// </summary>
/// <remarks>One instance per process (or per test). Commands get their engine through <see cref="EngineServices"/>.</remarks>
internal sealed class CliApp
{
    private readonly CliConsole _console;
    private readonly GlobalOptions _globals = new();

    /// <summary>Builds the command tree.</summary>
    /// <param name="services">Engine factories (<see cref="EngineRegistration.Create"/> in the real program).</param>
    /// <param name="console">Where to write.</param>
    /// <param name="time">Wall clock for display pacing; null for the system clock.</param>
    /// <param name="logConsole">When set, console log lines go here instead of stderr (tests).</param>
    public CliApp(EngineServices services, CliConsole console, TimeProvider? time = null, TextWriter? logConsole = null)
    {
        _console = console;
        var runner = new CommandRunner(_globals, services, console, time ?? TimeProvider.System, logConsole);
        Root = new RootCommand("crossmargin: simulate, replay and question liquidation cascades of a cross-margin risk engine built from actors");
        _globals.AddTo(Root);
        Root.Add(new SimulateCommand().Build(runner));
        Root.Add(new ReplayCommand().Build(runner));
        Root.Add(new WhatIfCommand().Build(runner));
        Root.Add(new JournalCommand().Build(runner));
        Root.Add(new LoadTestCommand().Build(runner));
        Root.Add(new ClusterCommand().Build(runner));
        Root.Add(new NodeCommand().Build(runner));
        Root.SetAction((parse, ct) => runner.RunAsync(parse, "crossmargin", _ =>
        {
            // Reached only without a command (with --print-config the runner printed and returned already).
            console.Error.WriteLine("crossmargin: a command is required: simulate, replay, what-if, journal, loadtest, node or cluster (see crossmargin --help)");
            return Task.FromResult(ExitCodes.BadInput);
        }, ct));
    }

    /// <summary>The root command (for tests that inspect the tree).</summary>
    public RootCommand Root { get; }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    /// <param name="args">The command line after the program name.</param>
    /// <param name="handleCtrlC">True in the real program: Ctrl-C cancels the command's token and the process waits up to 30 s for it to write a partial report.</param>
    /// <param name="cancellationToken">Cancels the command (tests).</param>
    public async Task<int> RunAsync(string[] args, bool handleCtrlC = false, CancellationToken cancellationToken = default)
    {
        var parse = Root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal))
            {
                _console.Error.WriteLine($"crossmargin: {error}");
            }

            var command = string.Join(' ', parse.CommandResult.Command == Root ? ["crossmargin"] : ["crossmargin", .. CommandPath(parse)]);
            _console.Error.WriteLine($"run '{command} --help' for the accepted options");
            return ExitCodes.BadInput;
        }

        var configuration = new InvocationConfiguration
        {
            Output = _console.OutText,
            Error = _console.Error,
            ProcessTerminationTimeout = handleCtrlC ? TimeSpan.FromSeconds(30) : null,
        };
        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var r = parse.CommandResult; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
        {
            names.Push(r.Command.Name);
        }

        return names;
    }
}
