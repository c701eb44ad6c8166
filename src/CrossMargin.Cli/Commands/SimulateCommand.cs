using System.CommandLine;
using CrossMargin.Cli.Configuration;
using CrossMargin.Cli.Options;
using CrossMargin.Cli.Output;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Commands;

/// <summary><c>crossmargin simulate</c>: run a scenario (or the same scenario under cross and isolated margin), show progress, summarise, write the report.</summary>
internal sealed class SimulateCommand
{
    public Option<string> Scenario { get; } = new("--scenario")
    {
        Description = "scenario name from hocon/scenarios (crash, correlated-selloff, flash-crash-recovery, collateral-depeg, historical) or a .conf file",
        HelpName = "NAME|FILE",
        DefaultValueFactory = _ => "crash",
        CustomParser = r => OptionParsing.Scenario(r)!,
    };

    public Option<int?> Accounts { get; } = new("--accounts")
    {
        Description = $"number of trading accounts, {OptionParsing.MinAccounts:#,0}..{OptionParsing.MaxAccounts:#,0} (default: the scenario's population count)",
        HelpName = "N",
        CustomParser = r => OptionParsing.IntInRange(r, OptionParsing.MinAccounts, OptionParsing.MaxAccounts),
    };

    public Option<ulong?> Seed { get; } = new("--seed")
    {
        Description = "seed of every random choice, 0..18446744073709551615 (default: the scenario's seed)",
        HelpName = "S",
        CustomParser = OptionParsing.Seed,
    };

    public Option<JournalTarget?> Journal { get; } = new("--journal")
    {
        Description = $"where to journal the run: {JournalTarget.AcceptedForms} (default: sqlite:./data/journals/RUN-ID.db)",
        HelpName = "sqlite:PATH|postgres:CONN|inmem",
        CustomParser = OptionParsing.Journal,
    };

    public Option<MarginMode?> MarginMode { get; } = new("--margin-mode")
    {
        Description = $"margin mode: {string.Join(", ", MarginModes.Names)} (default: the scenario's)",
        HelpName = "MODE",
        CustomParser = OptionParsing.Mode,
    };

    public Option<bool> CompareModes { get; } = new("--compare-modes")
    {
        Description = "run the scenario under cross and under isolated margin and set the two side by side",
    };

    public Option<string?> Report { get; } = new("--report")
    {
        Description = "folder for report.json and report.html (default: ./data/reports/RUN-ID)",
        HelpName = "DIR",
    };

    public Option<string[]> Ticks { get; } = new("--ticks")
    {
        Description = "tick files for the historical scenario: time,symbol,price[,volume] CSV or Binance kline/trade CSV",
        HelpName = "FILE",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
        CustomParser = OptionParsing.ExistingFiles,
    };

    public Option<IReadOnlyList<ConfigOverride>> Set { get; } = new("--set")
    {
        Description = "change a scenario or engine parameter as HOCON path=value, e.g. crossmargin.engine.seed=7; repeat for several",
        HelpName = "key=value",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = r => OptionParsing.Overrides(r, CliConfiguration.ValidateOverride),
    };

    /// <summary><c>--engine direct|actors</c> (issue 5 actor shells): which engine runs the scenario.</summary>
    public Option<EngineKind> Engine { get; } = new("--engine")
    {
        Description = "engine: direct (in-process, default) or actors (persistent account, feed and coordinator actors on the deterministic dispatcher)",
        HelpName = "direct|actors",
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            switch (text.ToLowerInvariant())
            {
                case "direct": return EngineKind.Direct;
                case "actors": return EngineKind.Actors;
                default:
                    r.AddError($"--engine: '{text}' is not an engine; accepted direct, actors");
                    return EngineKind.Direct;
            }
        },
    };

    public Option<bool> SkipBadRows { get; } = new("--skip-bad-rows")
    {
        Description = "skip malformed tick rows and report how many, instead of refusing the file",
    };

    /// <summary>Builds the command; <paramref name="runner"/> runs its body.</summary>
    public Command Build(CommandRunner runner)
    {
        var command = new Command("simulate", "run a liquidation-cascade scenario on a journal and write report.json and report.html")
        {
            Scenario, Accounts, Seed, Journal, MarginMode, CompareModes, Report, Ticks, SkipBadRows, Set, Engine,
        };
        command.SetAction((parse, ct) => runner.RunAsync(parse, "simulate", ExecuteAsync, ct));
        return command;
    }

    private async Task<int> ExecuteAsync(Invocation inv)
    {
        var p = inv.Parse;
        var compare = p.GetValue(CompareModes);
        var mode = p.GetValue(MarginMode);
        if (compare && mode is not null)
        {
            throw new CliInputException("--compare-modes runs both cross and isolated margin; drop --margin-mode");
        }

        var scenario = p.GetValue(Scenario) ?? "crash";
        var runner = inv.Require(inv.Services.Simulation, "simulate");
        if (!compare)
        {
            var request = Request(p, scenario, mode, suffixJournal: false);
            var report = await RunOneAsync(inv, runner, request).ConfigureAwait(false);
            var folder = p.GetValue(Report) ?? RunNames.DefaultReportFolder(request.RunId);
            ResultTables.Summary(inv.Console, report);
            ReportFiles.Announce(inv.Console, "report", ReportFiles.WriteReport(report, folder));
            return ExitCode(report.Partial, report.InvariantsHeld);
        }

        var cross = await RunOneAsync(inv, runner, Request(p, scenario, CrossMargin.Engine.Reporting.MarginMode.Cross, suffixJournal: true)).ConfigureAwait(false);
        var isolated = cross.Partial
            ? null
            : await RunOneAsync(inv, runner, Request(p, scenario, CrossMargin.Engine.Reporting.MarginMode.Isolated, suffixJournal: true)).ConfigureAwait(false);
        var baseFolder = p.GetValue(Report) ?? RunNames.DefaultReportFolder(RunNames.RunId(scenario, null, p.GetValue(Seed), p.GetValue(Accounts), p.GetValue(Set)).Replace("-default", "-compare", StringComparison.Ordinal));
        ReportFiles.WriteReport(cross, Path.Combine(baseFolder, "cross"));
        if (isolated is null)
        {
            ResultTables.Summary(inv.Console, cross);
            inv.Console.Line("interrupted during the cross run: no isolated run, no comparison");
            return ExitCodes.Interrupted;
        }

        ReportFiles.WriteReport(isolated, Path.Combine(baseFolder, "isolated"));
        var comparison = ReportComparison.Create(cross, "cross", isolated, "isolated");
        ResultTables.Comparison(inv.Console, comparison);
        ReportFiles.Announce(inv.Console, "comparison", ReportFiles.WriteComparison(comparison, baseFolder));
        return ExitCode(cross.Partial || isolated.Partial, cross.InvariantsHeld && isolated.InvariantsHeld);
    }

    private SimulationRequest Request(ParseResult p, string scenario, MarginMode? mode, bool suffixJournal)
    {
        var seed = p.GetValue(Seed);
        var accounts = p.GetValue(Accounts);
        var overrides = p.GetValue(Set) ?? [];
        var runId = RunNames.RunId(scenario, mode, seed, accounts, overrides);
        var journal = p.GetValue(Journal);
        if (journal is null)
        {
            // A recorded run is never appended to or rewritten: when the default journal of this command line
            // already exists, the run takes the next free name (crash-default-2, -3, ...) instead of failing.
            runId = RunNames.NextFreeRunId(runId);
        }

        if (journal is not null && suffixJournal && mode is { } m) journal = journal.WithRunSuffix(m.ToName());
        return new SimulationRequest
        {
            Scenario = scenario,
            Accounts = accounts,
            Seed = seed,
            MarginMode = mode,
            Journal = journal ?? RunNames.DefaultJournal(runId),
            TickFiles = p.GetValue(Ticks) ?? [],
            SkipBadRows = p.GetValue(SkipBadRows),
            Engine = p.GetValue(Engine),
            Overrides = overrides,
            RunId = runId,
        };
    }

    private static async Task<SimulationReport> RunOneAsync(Invocation inv, ISimulationRunner runner, SimulationRequest request)
    {
        inv.Console.Line($"simulate {request.Scenario} ({request.MarginMode?.ToName() ?? "scenario's margin mode"}), journal {request.Journal}");
        return await ProgressDisplay.RunAsync(inv.Console, $"simulate {request.RunId}", inv.Time,
            progress => runner.RunAsync(request, progress, inv.CancellationToken)).ConfigureAwait(false);
    }

    private static int ExitCode(bool partial, bool invariantsHeld) =>
        !invariantsHeld ? ExitCodes.InvariantViolation : partial ? ExitCodes.Interrupted : ExitCodes.Success;
}
