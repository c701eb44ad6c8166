using System.CommandLine;
using CrossMargin.Cli.Configuration;
using CrossMargin.Cli.Options;
using CrossMargin.Cli.Output;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Commands;

/// <summary><c>crossmargin what-if</c>: re-execute a journal's recorded inputs with changed HOCON parameters into a fresh journal and compare.</summary>
internal sealed class WhatIfCommand
{
    public Option<JournalTarget> Journal { get; } = new("--journal")
    {
        Description = $"the recorded run (read only): {JournalTarget.AcceptedForms}",
        HelpName = "sqlite:PATH|postgres:CONN|inmem",
        Required = true,
        CustomParser = r => OptionParsing.Journal(r)!,
    };

    public Option<IReadOnlyList<ConfigOverride>> Set { get; } = new("--set")
    {
        Description = "a changed parameter as HOCON path=value, e.g. crossmargin.risk.liquidation.fee-rate=0.005; repeat for several",
        HelpName = "key=value",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
        CustomParser = r => OptionParsing.Overrides(r, CliConfiguration.ValidateOverride),
    };

    public Option<JournalTarget?> Into { get; } = new("--into")
    {
        Description = "fresh journal for the re-execution (default: the source SQLite file with suffix -whatif-ID, ID from the overrides)",
        HelpName = "sqlite:PATH|postgres:CONN|inmem",
        CustomParser = OptionParsing.Journal,
    };

    public Option<string?> Run { get; } = new("--run")
    {
        Description = "the run to re-execute when the journal holds several (PostgreSQL); default: the only or latest",
        HelpName = "RUN-ID",
    };

    public Option<string?> Report { get; } = new("--report")
    {
        Description = "folder for comparison.json/.html and both runs' reports (default: ./data/reports/whatif-ID)",
        HelpName = "DIR",
    };

    /// <summary>Builds the command; <paramref name="runner"/> runs its body.</summary>
    public Command Build(CommandRunner runner)
    {
        var command = new Command("what-if", "re-execute the recorded inputs with changed parameters into a fresh journal and list the accounts whose fate differs")
        {
            Journal, Set, Into, Run, Report,
        };
        command.SetAction((parse, ct) => runner.RunAsync(parse, "what-if", ExecuteAsync, ct));
        return command;
    }

    private async Task<int> ExecuteAsync(Invocation inv)
    {
        var source = inv.Parse.GetValue(Journal)!;
        var overrides = inv.Parse.GetValue(Set) ?? [];
        var id = RunNames.OverridesId(overrides);
        var target = inv.Parse.GetValue(Into) ?? source.WithRunSuffix("whatif-" + id);
        if (target == source)
        {
            throw new CliInputException($"--into: the re-execution needs a fresh journal, not the source {source}; give --into explicitly");
        }

        var request = new WhatIfRequest { SourceJournal = source, TargetJournal = target, Overrides = overrides, RunId = inv.Parse.GetValue(Run) };
        var runner = inv.Require(inv.Services.WhatIf, "what-if");
        inv.Console.Line($"what-if on {source} with {string.Join(", ", overrides)} into {target}");
        var result = await ProgressDisplay.RunAsync(inv.Console, $"what-if {id}", inv.Time,
            progress => runner.RunAsync(request, progress, inv.CancellationToken)).ConfigureAwait(false);

        var comparison = ReportComparison.Create(result.Baseline, "recorded", result.Changed, "what-if");
        var folder = inv.Parse.GetValue(Report) ?? RunNames.DefaultReportFolder("whatif-" + id);
        ReportFiles.WriteReport(result.Baseline, Path.Combine(folder, "recorded"));
        ReportFiles.WriteReport(result.Changed, Path.Combine(folder, "what-if"));
        ResultTables.Comparison(inv.Console, comparison);
        ReportFiles.Announce(inv.Console, "comparison", ReportFiles.WriteComparison(comparison, folder));
        return !result.Changed.InvariantsHeld ? ExitCodes.InvariantViolation
            : result.Changed.Partial ? ExitCodes.Interrupted
            : ExitCodes.Success;
    }
}
