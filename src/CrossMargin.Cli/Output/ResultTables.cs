using CrossMargin.Engine.Reporting;
using Spectre.Console;

namespace CrossMargin.Cli.Output;

/// <summary>The end-of-run tables: one run's summary, two runs side by side, invariant violations, fate changes.</summary>
internal static class ResultTables
{
    /// <summary>How many differing accounts the console lists (all are in comparison.json and the first 1,000 in comparison.html).</summary>
    public const int MaxConsoleFateChanges = 50;

    /// <summary>Prints every summary figure of <paramref name="report"/>.</summary>
    public static void Summary(CliConsole console, SimulationReport report)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{report.Scenario} ({report.MarginMode.ToName()}){(report.Partial ? " - PARTIAL (interrupted)" : "")}"))
            .AddColumn("figure").AddColumn("value");
        foreach (var (label, value) in ReportFormat.SummaryRows(report))
        {
            table.AddRow(Markup.Escape(label), Markup.Escape(value));
        }

        console.Out.Write(table);
        Violations(console, report, "");
    }

    /// <summary>Prints the figures of both runs with deltas, then the accounts whose fate differs.</summary>
    public static void Comparison(CliConsole console, ReportComparison comparison)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{comparison.BaselineLabel} vs {comparison.CandidateLabel}"))
            .AddColumn("figure")
            .AddColumn(new TableColumn(Markup.Escape(comparison.BaselineLabel)).RightAligned())
            .AddColumn(new TableColumn(Markup.Escape(comparison.CandidateLabel)).RightAligned())
            .AddColumn(new TableColumn("difference").RightAligned());
        foreach (var m in comparison.Metrics)
        {
            var delta = m.Delta == 0 ? "0" : (m.Delta > 0 ? "+" : "") + (m.Delta == decimal.Truncate(m.Delta) ? ReportFormat.Count((long)m.Delta) : ReportFormat.Money(m.Delta));
            table.AddRow(Markup.Escape(m.Name), Markup.Escape(m.BaselineText), Markup.Escape(m.CandidateText), Markup.Escape(delta));
        }

        console.Out.Write(table);
        Violations(console, comparison.Baseline, comparison.BaselineLabel + ": ");
        Violations(console, comparison.Candidate, comparison.CandidateLabel + ": ");
        FateChanges(console, comparison);
    }

    private static void FateChanges(CliConsole console, ReportComparison comparison)
    {
        var changes = comparison.FateChanges;
        console.Line($"accounts whose fate differs: {ReportFormat.Count(changes.Count)}");
        if (changes.Count == 0) return;
        var table = new Table().Border(TableBorder.Simple).AddColumn("account")
            .AddColumn(Markup.Escape(comparison.BaselineLabel)).AddColumn(Markup.Escape(comparison.CandidateLabel));
        foreach (var c in changes.Take(MaxConsoleFateChanges))
        {
            table.AddRow(Markup.Escape(c.AccountId), ReportFormat.Fate(c.Before), ReportFormat.Fate(c.After));
        }

        console.Out.Write(table);
        if (changes.Count > MaxConsoleFateChanges)
        {
            console.Line($"… and {ReportFormat.Count(changes.Count - MaxConsoleFateChanges)} more (see comparison.html / comparison.json)");
        }
    }

    private static void Violations(CliConsole console, SimulationReport report, string prefix)
    {
        foreach (var v in report.Invariants.Where(i => !i.Passed))
        {
            console.Error.WriteLine($"{prefix}invariant violated: {v.Name}: {v.Evidence}");
        }
    }
}
