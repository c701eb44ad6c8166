using System.CommandLine;
using System.Globalization;
using CrossMargin.Cli.Options;
using CrossMargin.Cli.Output;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Operations;
using CrossMargin.Cluster.Operations.Audit;
using CrossMargin.Cluster.Operations.LoadGen;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using Spectre.Console;

namespace CrossMargin.Cli.Commands;

/// <summary><c>crossmargin cluster loadgen</c>: seed accounts and drive ticks and deposits through the inboxes; report what was acknowledged.</summary>
internal sealed partial class ClusterCommand
{
    public Option<int> LoadAccounts { get; } = new("--accounts")
    {
        Description = "trading accounts to seed and drive (ids 1..N of the scenario's directory, which must hold them), 1..10,000,000",
        HelpName = "N",
        DefaultValueFactory = _ => 1000,
        CustomParser = r => OptionParsing.IntInRange(r, 1, OptionParsing.MaxAccounts) ?? 1,
    };

    public Option<TimeSpan> LoadDuration { get; } = new("--duration")
    {
        Description = "length of the drive phase after seeding: a number with unit ms, s, m or h (seconds without one), 1s..24h",
        HelpName = "D",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
        CustomParser = r => LoadTestCommand.Span(r, "s", TimeSpan.FromSeconds(1), TimeSpan.FromHours(24), "1s..24h"),
    };

    public Option<int> LoadTickRate { get; } = new("--tick-rate")
    {
        Description = "index ticks per second to the feed singletons' inboxes (round-robin over the feeds), 1..10,000",
        HelpName = "R",
        DefaultValueFactory = _ => 10,
        CustomParser = r => OptionParsing.IntInRange(r, 1, 10_000) ?? 1,
    };

    public Option<int> LoadCommandsPerTick { get; } = new("--commands-per-tick")
    {
        Description = "deposits to random seeded accounts sent with each tick, 0..1,000",
        HelpName = "K",
        DefaultValueFactory = _ => 5,
        CustomParser = r => OptionParsing.IntInRange(r, 0, 1000) ?? 0,
    };

    public Option<double> LoadDrop { get; } = new("--drop")
    {
        Description = "fraction the index falls over the drive, linearly (0.1 = -10%), 0..0.9",
        HelpName = "F",
        DefaultValueFactory = _ => 0.10,
        CustomParser = r => LoadTestCommand.Number(r, 0, 0.9),
    };

    public Option<TimeSpan> LoadReplyTimeout { get; } = new("--reply-timeout")
    {
        Description = "how long to wait for each reply before counting the command unanswered (it stays queued), 1s..1h",
        HelpName = "D",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(60),
        CustomParser = r => LoadTestCommand.Span(r, "s", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "1s..1h"),
    };

    public Option<string> LoadAcknowledged { get; } = new("--acknowledged")
    {
        Description = "file to write the acknowledged commands to, one per line: COMMAND-ID KIND PERSISTENCE-ID KEY",
        HelpName = "FILE",
        DefaultValueFactory = _ => Path.Combine(DefaultDataDirectory, "loadgen-acknowledged.txt"),
    };

    public Option<bool> LoadVerify { get; } = new("--verify")
    {
        Description = "after the run, audit the journal: acknowledged commands present, none applied twice, money, open interest, contiguous sequence numbers (exit 1 when one fails)",
    };

    public Option<string> LoadScenario { get; } = new("--scenario")
    {
        Description = "the scenario the nodes run (a built-in name or a .conf file): the same as their --scenario",
        HelpName = "NAME|FILE",
        DefaultValueFactory = _ => "crash",
        CustomParser = r => OptionParsing.Scenario(r)!,
    };

    public Option<int?> LoadPopulation { get; } = new("--population")
    {
        Description = $"the nodes' account directory size (their --accounts), {OptionParsing.MinAccounts:#,0}..{OptionParsing.MaxAccounts:#,0}; default: the scenario's",
        HelpName = "N",
        CustomParser = r => OptionParsing.IntInRange(r, OptionParsing.MinAccounts, OptionParsing.MaxAccounts),
    };

    private Command BuildLoadGen(CommandRunner runner)
    {
        var command = new Command("loadgen", "seed accounts (deposits, matched positions) and drive index ticks and deposits through the cluster's inboxes; report acknowledged commands")
        {
            Connection, LoadAccounts, LoadDuration, LoadTickRate, LoadCommandsPerTick, LoadDrop, LoadReplyTimeout, LoadAcknowledged, LoadVerify, LoadScenario, LoadPopulation,
        };
        command.SetAction((parse, ct) => runner.RunAsync(parse, "cluster loadgen", inv => Guarded(inv, "cluster loadgen", LoadGenAsync), ct));
        return command;
    }

    private async Task<int> LoadGenAsync(Invocation inv)
    {
        var settings = Settings(inv);
        var connection = ResolveConnection(inv.Parse.GetValue(Connection), settings, DefaultDataDirectory);
        var scenario = ScenarioLoader.Load(inv.Engine.Configuration.Config, new ScenarioOverrides { Scenario = inv.Parse.GetValue(LoadScenario), Accounts = inv.Parse.GetValue(LoadPopulation) });
        var options = new LoadGenOptions
        {
            Accounts = inv.Parse.GetValue(LoadAccounts),
            Duration = inv.Parse.GetValue(LoadDuration),
            TickRate = inv.Parse.GetValue(LoadTickRate),
            CommandsPerTick = inv.Parse.GetValue(LoadCommandsPerTick),
            Drop = (decimal)inv.Parse.GetValue(LoadDrop),
            ReplyTimeout = inv.Parse.GetValue(LoadReplyTimeout),
            AcknowledgedFile = inv.Parse.GetValue(LoadAcknowledged),
        };
        await using var store = await ClusterLoadGenerator.OpenStoreAsync(connection, TimeSpan.FromSeconds(60), inv.CancellationToken).ConfigureAwait(false);
        await using var inbox = new ClusterInbox(store, settings, inv.Engine.Logger);
        var generator = new ClusterLoadGenerator(inbox, store.ShardCount, scenario, options, inv.Engine.Logger);
        inv.Console.Line($"loadgen: {store.Target}, scenario {scenario.Name}, {store.ShardCount} shards, {options.Accounts} accounts, {options.TickRate} ticks/s × {options.Duration.TotalSeconds:0.#}s, {options.CommandsPerTick} deposits per tick");
        var result = await ProgressDisplay.RunAsync<LoadGenProgress, LoadGenResult>(inv.Console, "loadgen", inv.Time, p =>
        [
            ("phase", p.Phase),
            ("sent", ReportFormat.Count(p.Sent)),
            ("acknowledged", ReportFormat.Count(p.Acknowledged)),
            ("in flight", ReportFormat.Count(p.InFlight)),
            ("refused", ReportFormat.Count(p.Refused)),
        ], progress => generator.RunAsync(progress, inv.CancellationToken)).ConfigureAwait(false);
        inv.Console.Out.Write(LoadGenTable(result, options));
        foreach (var reason in result.RefusalSamples)
        {
            inv.Console.Line($"refused: {reason}");
        }

        if (!inv.Parse.GetValue(LoadVerify))
        {
            return ExitCodes.Success;
        }

        // The last reply does not end the cascade the run set off: wait until the cluster is quiet, then audit.
        var quiet = await ClusterQuiescence.WaitAsync(connection, ClusterQuiescence.DefaultQuietFor, QuietBound, inv.CancellationToken).ConfigureAwait(false);
        inv.Console.Line(quiet is { } waited
            ? string.Create(CultureInfo.InvariantCulture, $"cluster quiet after {waited.TotalSeconds:0.0} s (no inbox message pending, no journal write for {ClusterQuiescence.DefaultQuietFor.TotalSeconds:0} s)")
            : string.Create(CultureInfo.InvariantCulture, $"cluster still busy after {QuietBound.TotalSeconds:0} s: auditing anyway (a cascade may still be running)"));
        var audit = await ClusterJournalAudit.RunAsync(connection, scenario, result.Acknowledged, inv.CancellationToken).ConfigureAwait(false);
        inv.Console.Line($"audit of the journal ({ReportFormat.Count(audit.Events)} events, {ReportFormat.Count(audit.PersistenceIds)} streams):");
        inv.Console.Line(audit.Describe());
        return audit.AllHeld ? ExitCodes.Success : ExitCodes.InvariantViolation;
    }

    /// <summary>Longest <c>--verify</c> waits for the cluster to go quiet before auditing.</summary>
    private static readonly TimeSpan QuietBound = TimeSpan.FromSeconds(60);

    private static Table LoadGenTable(LoadGenResult r, LoadGenOptions options)
    {
        string N(long v) => ReportFormat.Count(v);
        var table = new Table().Border(TableBorder.Rounded).Title("cluster loadgen").AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("accounts seeded", N(r.SeededAccounts));
        table.AddRow("seed commands (deposits, both sides of trades)", N(r.SeedCommands));
        table.AddRow("drive commands sent (ticks, deposits)", N(r.Sent));
        table.AddRow("acknowledged (seed + drive)", $"{N(r.Acknowledged.Count)} ({N(r.SeedAcknowledged)} + {N(r.Acknowledged.Count - r.SeedAcknowledged)})");
        table.AddRow("refused or error replies", N(r.Refused));
        table.AddRow("unanswered within the reply timeout", N(r.Unanswered));
        table.AddRow("drive time", string.Create(CultureInfo.InvariantCulture, $"{r.DriveSeconds:0.0} s"));
        table.AddRow("acknowledged drive commands / s", string.Create(CultureInfo.InvariantCulture, $"{r.DrivePerSecond:0.0}"));
        table.AddRow("reply latency p50 / p99 / max", string.Create(CultureInfo.InvariantCulture, $"{r.LatencyMs.P50:0.0} / {r.LatencyMs.P99:0.0} / {r.LatencyMs.Max:0.0} ms"));
        table.AddRow("acknowledged ids written to", Markup.Escape(options.AcknowledgedFile ?? "-"));
        return table;
    }
}
