using System.CommandLine;
using System.Globalization;
using CrossMargin.Cli.Options;
using CrossMargin.Engine.Reporting;
using Spectre.Console;

namespace CrossMargin.Cli.Commands;

/// <summary><c>crossmargin journal list | show ACCOUNT | tail | stats</c>: read-only views of a journal.</summary>
internal sealed class JournalCommand
{
    public Option<JournalTarget> Journal { get; } = new("--journal")
    {
        Description = $"the journal to read: {JournalTarget.AcceptedForms}",
        HelpName = "sqlite:PATH|postgres:CONN|inmem",
        Required = true,
        Recursive = true,
        CustomParser = r => OptionParsing.Journal(r)!,
    };

    public Argument<string> Account { get; } = new("ACCOUNT")
    {
        Description = "account id (or a full persistence id) whose events to show",
    };

    public Option<long> From { get; } = new("--from")
    {
        Description = "first sequence number to show, 1 or more",
        HelpName = "SEQ",
        DefaultValueFactory = _ => 1,
        CustomParser = r => OptionParsing.IntInRange(r, 1, int.MaxValue) ?? 1,
    };

    public Option<int> Limit { get; } = new("--limit")
    {
        Description = "at most this many events, 1..1,000,000",
        HelpName = "N",
        DefaultValueFactory = _ => 100,
        CustomParser = r => OptionParsing.IntInRange(r, 1, 1_000_000) ?? 1,
    };

    public Option<int> Count { get; } = new("--count", "-n")
    {
        Description = "how many of the last events to show, 1..1,000,000",
        HelpName = "N",
        DefaultValueFactory = _ => 20,
        CustomParser = r => OptionParsing.IntInRange(r, 1, 1_000_000) ?? 1,
    };

    public Option<bool> Follow { get; } = new("--follow", "-f")
    {
        Description = "keep printing new events as they are written, until Ctrl-C",
    };

    /// <summary>Builds <c>journal</c> and its four subcommands; <paramref name="runner"/> runs their bodies.</summary>
    public Command Build(CommandRunner runner)
    {
        var list = new Command("list", "every persistence id (actor) in the journal with its event count and highest sequence number");
        list.SetAction((parse, ct) => runner.RunAsync(parse, "journal list", ListAsync, ct));
        var show = new Command("show", "the events of one account, in sequence order") { Account, From, Limit };
        show.SetAction((parse, ct) => runner.RunAsync(parse, "journal show", ShowAsync, ct));
        var tail = new Command("tail", "the last events of the journal in write order; --follow keeps printing new ones") { Count, Follow };
        tail.SetAction((parse, ct) => runner.RunAsync(parse, "journal tail", TailAsync, ct));
        var stats = new Command("stats", "counts and ranges: events, persistence ids, snapshots, time span, events by type");
        stats.SetAction((parse, ct) => runner.RunAsync(parse, "journal stats", StatsAsync, ct));
        return new Command("journal", "inspect a journal (read only)") { Journal, list, show, tail, stats };
    }

    private async Task<int> ListAsync(Invocation inv)
    {
        var inspector = inv.Require(inv.Services.Journal, "journal list");
        var streams = await inspector.ListAsync(inv.Parse.GetValue(Journal)!, inv.CancellationToken).ConfigureAwait(false);
        var table = new Table().Border(TableBorder.Simple).AddColumn("persistence id")
            .AddColumn(new TableColumn("events").RightAligned()).AddColumn(new TableColumn("highest seq").RightAligned()).AddColumn("last event at");
        foreach (var s in streams)
        {
            table.AddRow(Markup.Escape(s.PersistenceId), ReportFormat.Count(s.Events), ReportFormat.Count(s.HighestSequenceNr), Time(s.LastTimestamp));
        }

        inv.Console.Out.Write(table);
        inv.Console.Line($"{ReportFormat.Count(streams.Count)} persistence ids");
        return ExitCodes.Success;
    }

    private async Task<int> ShowAsync(Invocation inv)
    {
        var inspector = inv.Require(inv.Services.Journal, "journal show");
        var entries = await inspector.ShowAsync(inv.Parse.GetValue(Journal)!, inv.Parse.GetValue(Account)!,
            inv.Parse.GetValue(From), inv.Parse.GetValue(Limit), inv.CancellationToken).ConfigureAwait(false);
        foreach (var e in entries) inv.Console.Line(Line(e));
        inv.Console.Line($"{ReportFormat.Count(entries.Count)} events");
        return ExitCodes.Success;
    }

    private async Task<int> TailAsync(Invocation inv)
    {
        var inspector = inv.Require(inv.Services.Journal, "journal tail");
        var follow = inv.Parse.GetValue(Follow);
        try
        {
            await foreach (var e in inspector.TailAsync(inv.Parse.GetValue(Journal)!, inv.Parse.GetValue(Count), follow, inv.CancellationToken).ConfigureAwait(false))
            {
                inv.Console.Line(Line(e));
            }
        }
        catch (OperationCanceledException) when (follow && inv.CancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how --follow ends: a normal exit.
        }

        return ExitCodes.Success;
    }

    private async Task<int> StatsAsync(Invocation inv)
    {
        var inspector = inv.Require(inv.Services.Journal, "journal stats");
        var s = await inspector.StatsAsync(inv.Parse.GetValue(Journal)!, inv.CancellationToken).ConfigureAwait(false);
        var table = new Table().Border(TableBorder.Rounded).Title("journal").AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("schema version", s.SchemaVersion.ToString(CultureInfo.InvariantCulture));
        table.AddRow("events", ReportFormat.Count(s.Events));
        table.AddRow("persistence ids", ReportFormat.Count(s.PersistenceIds));
        table.AddRow("snapshots", ReportFormat.Count(s.Snapshots));
        table.AddRow("first event at", Time(s.FirstTimestamp));
        table.AddRow("last event at", Time(s.LastTimestamp));
        table.AddRow("size", s.SizeBytes is { } b ? ReportFormat.Bytes(b) : "-");
        inv.Console.Out.Write(table);
        var types = new Table().Border(TableBorder.Simple).AddColumn("event type").AddColumn(new TableColumn("count").RightAligned());
        foreach (var (type, count) in s.EventsByType.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            types.AddRow(Markup.Escape(type), ReportFormat.Count(count));
        }

        inv.Console.Out.Write(types);
        return ExitCodes.Success;
    }

    private static string Line(JournalEntryView e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Ordering,10} {e.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff} {e.PersistenceId}#{e.SequenceNr} {e.EventType} {e.Summary}");

    private static string Time(DateTimeOffset? t) =>
        t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";
}
