using System.CommandLine;
using System.Globalization;
using CrossMargin.Cli.Options;
using CrossMargin.Cli.Output;
using CrossMargin.Engine.Reporting;
using Spectre.Console;

namespace CrossMargin.Cli.Commands;

/// <summary><c>crossmargin replay</c>: rebuild every actor from the journal, print the state hash and check it against the recorded one.</summary>
internal sealed class ReplayCommand
{
    public Option<JournalTarget> Journal { get; } = new("--journal")
    {
        Description = $"the journal to replay: {JournalTarget.AcceptedForms}",
        HelpName = "sqlite:PATH|postgres:CONN|inmem",
        Required = true,
        CustomParser = r => OptionParsing.Journal(r)!,
    };

    public Option<ReplayPoint?> To { get; } = new("--to")
    {
        Description = "stop at this journal sequence number (ordering) or simulated time (ISO-8601, e.g. 2025-10-10T21:15:00Z) and show the state then",
        HelpName = "SEQ|TIME",
        CustomParser = OptionParsing.ReplayBound,
    };

    public Option<string?> Run { get; } = new("--run")
    {
        Description = "the run the journal must hold (a journal - a SQLite file or a PostgreSQL schema - holds one run; another run is refused); default: the journal's run",
        HelpName = "RUN-ID",
    };

    public Option<bool> NoSnapshots { get; } = new("--no-snapshots")
    {
        Description = "fold every event from the first instead of starting accounts from their snapshots (slower; complete fates)",
    };

    public Option<int> Top { get; } = new("--top")
    {
        Description = "how many accounts to list, closest to liquidation first, 0..10,000",
        HelpName = "N",
        DefaultValueFactory = _ => 20,
        CustomParser = r => OptionParsing.IntInRange(r, 0, 10_000) ?? 0,
    };

    /// <summary>Builds the command; <paramref name="runner"/> runs its body.</summary>
    public Command Build(CommandRunner runner)
    {
        var command = new Command("replay", "rebuild every actor from snapshots and events, print the state hash and check it against the one recorded when the run ended")
        {
            Journal, To, Run, Top, NoSnapshots,
        };
        command.SetAction((parse, ct) => runner.RunAsync(parse, "replay", ExecuteAsync, ct));
        return command;
    }

    private async Task<int> ExecuteAsync(Invocation inv)
    {
        var request = new ReplayRequest
        {
            Journal = inv.Parse.GetValue(Journal)!,
            To = inv.Parse.GetValue(To),
            RunId = inv.Parse.GetValue(Run),
            TopAccounts = inv.Parse.GetValue(Top),
            UseSnapshots = !inv.Parse.GetValue(NoSnapshots),
        };
        var runner = inv.Require(inv.Services.Replay, "replay");
        var result = await ProgressDisplay.RunAsync<ReplayProgress, ReplayResult>(inv.Console, $"replay {request.Journal}", inv.Time, ProgressDisplay.ReplayRows,
            progress => runner.ReplayAsync(request, progress, inv.CancellationToken)).ConfigureAwait(false);
        Print(inv.Console, result);
        switch (result.HashMatches)
        {
            case true:
                inv.Console.Line($"state hash {result.StateHash} matches the hash recorded when the run ended");
                return ExitCodes.Success;
            case false:
                inv.Console.Error.WriteLine($"replay: state hash {result.StateHash} differs from the recorded {result.RecordedHash}: replay did not rebuild the recorded state");
                return ExitCodes.InvariantViolation;
            default:
                inv.Console.Line(request.To is null
                    ? $"state hash {result.StateHash} (the journal has no recorded end-of-run hash to compare with)"
                    : $"state hash {result.StateHash} at {request.To} (no comparison: the recorded hash is for the end of the run)");
                return ExitCodes.Success;
        }
    }

    private static void Print(CliConsole console, ReplayResult result)
    {
        var s = result.State;
        var summary = new Table().Border(TableBorder.Rounded).Title("replayed state").AddColumn("figure").AddColumn("value");
        summary.AddRow("simulated time", s.SimulatedTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        summary.AddRow("last ordering", ReportFormat.Count(s.LastOrdering));
        summary.AddRow("events replayed", ReportFormat.Count(result.EventsReplayed));
        summary.AddRow("actors rebuilt", ReportFormat.Count(result.ActorsRebuilt));
        summary.AddRow("snapshots used", ReportFormat.Count(result.SnapshotsUsed));
        summary.AddRow("accounts", ReportFormat.Count(s.AccountCount));
        summary.AddRow("insurance fund", ReportFormat.Money(s.InsuranceFund));
        console.Out.Write(summary);

        if (s.Instruments.Count > 0)
        {
            var instruments = new Table().Border(TableBorder.Simple).AddColumn("instrument")
                .AddColumn(new TableColumn("index").RightAligned()).AddColumn(new TableColumn("mark").RightAligned())
                .AddColumn(new TableColumn("long OI").RightAligned()).AddColumn(new TableColumn("short OI").RightAligned());
            foreach (var i in s.Instruments)
            {
                instruments.AddRow(Markup.Escape(i.Instrument), Num(i.Index), Num(i.Mark), Num(i.LongOpenInterest), Num(i.ShortOpenInterest));
            }

            console.Out.Write(instruments);
        }

        if (s.Accounts.Count > 0)
        {
            var accounts = new Table().Border(TableBorder.Simple).AddColumn("account")
                .AddColumn(new TableColumn("equity").RightAligned()).AddColumn(new TableColumn("maint. margin").RightAligned())
                .AddColumn(new TableColumn("margin ratio").RightAligned()).AddColumn(new TableColumn("positions").RightAligned()).AddColumn("fate");
            foreach (var a in s.Accounts)
            {
                var ratio = a.MarginRatio is { } r ? (r * 100m).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "no equity";
                accounts.AddRow(Markup.Escape(a.AccountId), ReportFormat.Money(a.Equity), ReportFormat.Money(a.MaintenanceMargin), ratio,
                    a.Positions.ToString(CultureInfo.InvariantCulture), ReportFormat.Fate(a.Fate));
            }

            console.Out.Write(accounts);
        }
    }

    private static string Num(decimal value) => value.ToString("#,0.########", CultureInfo.InvariantCulture);
}
