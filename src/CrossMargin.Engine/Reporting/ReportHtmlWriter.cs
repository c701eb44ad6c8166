using System.Globalization;
using CrossMargin.Engine.Reporting.Charts;

namespace CrossMargin.Engine.Reporting;

/// <summary>
/// Writes <c>report.html</c> (one run) and <c>comparison.html</c> (two runs side by side): single
/// self-contained XHTML files with inline SVG charts that open offline — no CDN, no scripts.
/// </summary>
/// <remarks>
/// One run: summary table, invariants, index and mark per instrument, liquidations per second,
/// insurance fund over time, margin-ratio distribution before and after, accounts by fate.
/// Comparison: figures side by side with deltas, overlaid series, and the accounts whose fate differs
/// (the first <see cref="MaxListedFateChanges"/> listed, all counted). Stateless; thread-safe.
/// </remarks>
public static class ReportHtmlWriter
{
    /// <summary>How many differing accounts the comparison page lists one by one (all are in <c>comparison.json</c>).</summary>
    public const int MaxListedFateChanges = 1000;

    private const string IndexColor = "#7f7f7f", MarkColor = "#1f77b4", FundColor = "#2ca02c", LiqColor = "#d62728";
    private const string BaselineColor = "#1f77b4", CandidateColor = "#ff7f0e";

    /// <summary>The report page for one run.</summary>
    public static string ToHtml(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var page = new HtmlPage($"crossmargin report: {report.Scenario} ({report.MarginMode.ToName()}, seed {report.Seed.ToString(CultureInfo.InvariantCulture)})");
        page.Paragraph(Window(report), "meta");
        if (report.Partial) page.Paragraph("Partial run: interrupted before the scenario ended; figures cover only what ran.", "partial");

        page.Heading(2, "Summary").Table(["figure", "value"], ReportFormat.SummaryRows(report).Select(r => (IReadOnlyList<string>)[r.Label, r.Value]));
        AddInvariants(page, report);

        page.Heading(2, "Index and mark price");
        foreach (var instrument in report.Instruments)
        {
            page.Chart(LineChart.Render(TimeChart($"{instrument.Instrument}: index and mark", "price",
                [Series("index", IndexColor, instrument.Index, dashed: true), Series("mark", MarkColor, instrument.Mark)])));
        }

        if (report.Instruments.Count == 0) page.Paragraph("No price series recorded.");
        page.Heading(2, "Liquidations per second")
            .Chart(LineChart.Render(TimeChart("Liquidation fills per second", "fills/s", [Series("liquidations", LiqColor, report.LiquidationsPerSecond)]) with { Bars = true }));
        page.Heading(2, "Insurance fund")
            .Chart(LineChart.Render(TimeChart("Insurance fund balance", "balance", [Series("insurance fund", FundColor, report.InsuranceFundSeries)])));
        page.Heading(2, "Margin ratio distribution (maintenance margin ÷ equity; ≥100% is liquidatable)")
            .Chart(GroupedBarChart.Render(Histograms([("before", "#9ecae1", report.MarginRatioBefore), ("after", "#08519c", report.MarginRatioAfter)])));
        AddFateCounts(page, report);
        return page.ToString();
    }

    /// <summary>The page setting two runs side by side.</summary>
    public static string ToHtml(ReportComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var (a, b) = (comparison.Baseline, comparison.Candidate);
        var (la, lb) = (comparison.BaselineLabel, comparison.CandidateLabel);
        var page = new HtmlPage($"crossmargin comparison: {la} vs {lb}");
        page.Paragraph($"{la}: {a.Scenario}, {a.MarginMode.ToName()}, seed {a.Seed}. {lb}: {b.Scenario}, {b.MarginMode.ToName()}, seed {b.Seed}.", "meta");
        if (a.Partial || b.Partial) page.Paragraph("At least one run is partial (interrupted): compare with care.", "partial");

        page.Heading(2, "Figures").Table(["figure", la, lb, $"{lb} − {la}"],
            comparison.Metrics.Select(m => (IReadOnlyList<string>)[m.Name, m.BaselineText, m.CandidateText, Delta(m)]));
        page.Heading(2, "Invariants").Table(["run", "result"],
            [[la, InvariantText(a)], [lb, InvariantText(b)]]);

        page.Heading(2, "Insurance fund").Chart(LineChart.Render(TimeChart("Insurance fund balance", "balance",
            [Series(la, BaselineColor, a.InsuranceFundSeries), Series(lb, CandidateColor, b.InsuranceFundSeries)])));
        page.Heading(2, "Liquidations per second").Chart(LineChart.Render(TimeChart("Liquidation fills per second", "fills/s",
            [Series(la, BaselineColor, a.LiquidationsPerSecond), Series(lb, CandidateColor, b.LiquidationsPerSecond)])));
        page.Heading(2, "Mark price");
        foreach (var instrument in a.Instruments)
        {
            var other = b.Instruments.FirstOrDefault(i => i.Instrument == instrument.Instrument);
            LineSeries[] lines = other is null
                ? [Series(la, BaselineColor, instrument.Mark)]
                : [Series(la, BaselineColor, instrument.Mark), Series(lb, CandidateColor, other.Mark)];
            page.Chart(LineChart.Render(TimeChart($"{instrument.Instrument}: mark", "price", lines)));
        }

        page.Heading(2, "Margin ratio distribution").Chart(GroupedBarChart.Render(Histograms(
            [($"{la} before", "#9ecae1", a.MarginRatioBefore), ($"{la} after", "#08519c", a.MarginRatioAfter),
             ($"{lb} before", "#fdd0a2", b.MarginRatioBefore), ($"{lb} after", "#d94801", b.MarginRatioAfter)])));
        AddFateChanges(page, comparison);
        return page.ToString();
    }

    /// <summary>Writes the report page to <paramref name="path"/> (UTF-8, no BOM), creating the folder.</summary>
    public static void Write(SimulationReport report, string path) => ReportJsonWriter.WriteText(ToHtml(report), path);

    /// <summary>Writes the comparison page to <paramref name="path"/> (UTF-8, no BOM), creating the folder.</summary>
    public static void Write(ReportComparison comparison, string path) => ReportJsonWriter.WriteText(ToHtml(comparison), path);

    private static void AddInvariants(HtmlPage page, SimulationReport report)
    {
        page.Heading(2, "Invariants");
        if (report.Invariants.Count == 0)
        {
            page.Paragraph("No invariant was checked.");
            return;
        }

        var rows = report.Invariants.Select(i => (IReadOnlyList<string>)[i.Name, i.Passed ? "held" : "VIOLATED", i.Evidence]).ToArray();
        page.Table(["invariant", "result", "evidence"], rows, "invariants",
            (r, c) => c == 1 ? (report.Invariants[r].Passed ? "pass" : "fail") : null);
    }

    private static void AddFateCounts(HtmlPage page, SimulationReport report)
    {
        var counts = report.AccountFates.Values.GroupBy(f => f).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<string>)[ReportFormat.Fate(g.Key), ReportFormat.Count(g.LongCount())]).ToList();
        var unhealthy = report.AccountFates.Count;
        counts.Insert(0, [ReportFormat.Fate(AccountFate.Healthy), ReportFormat.Count(Math.Max(0, report.Accounts - unhealthy))]);
        page.Heading(2, "Accounts by fate").Table(["fate", "accounts"], counts);
    }

    private static void AddFateChanges(HtmlPage page, ReportComparison comparison)
    {
        var changes = comparison.FateChanges;
        page.Heading(2, $"Accounts whose fate differs: {ReportFormat.Count(changes.Count)}");
        if (changes.Count == 0)
        {
            page.Paragraph("Every account met the same fate in both runs.");
            return;
        }

        page.Table(["from", "to", "accounts"], changes.GroupBy(c => (c.Before, c.After)).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<string>)[ReportFormat.Fate(g.Key.Before), ReportFormat.Fate(g.Key.After), ReportFormat.Count(g.LongCount())]));
        if (changes.Count > MaxListedFateChanges)
        {
            page.Paragraph($"The first {MaxListedFateChanges} by account id; comparison.json lists all {changes.Count}.");
        }

        page.Table(["account", comparison.BaselineLabel, comparison.CandidateLabel], changes.Take(MaxListedFateChanges)
            .Select(c => (IReadOnlyList<string>)[c.AccountId, ReportFormat.Fate(c.Before), ReportFormat.Fate(c.After)]), "fate-changes");
    }

    private static string Delta(MetricComparison m) =>
        m.Delta == 0 ? "0" : (m.Delta > 0 ? "+" : "") + (m.Delta == decimal.Truncate(m.Delta)
            ? m.Delta.ToString("#,0", CultureInfo.InvariantCulture)
            : ReportFormat.Money(m.Delta));

    private static string InvariantText(SimulationReport r) =>
        r.Invariants.Count == 0 ? "none checked"
        : r.InvariantsHeld ? $"all {r.Invariants.Count} held"
        : "VIOLATED: " + string.Join(", ", r.Invariants.Where(i => !i.Passed).Select(i => i.Name));

    private static string Window(SimulationReport r) =>
        $"Simulated {r.SimulatedStart.UtcDateTime:yyyy-MM-dd HH:mm:ss} to {r.SimulatedEnd.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; journal {(r.Journal.Length == 0 ? "(not recorded)" : r.Journal)}.";

    private static LineSeries Series(string name, string color, IReadOnlyList<TimePoint> points, bool dashed = false) =>
        new(name, color, points.Select(p => (p.Time.ToUnixTimeMilliseconds() / 1000.0, (double)p.Value)).ToArray(), dashed);

    private static LineChartSpec TimeChart(string title, string yLabel, IReadOnlyList<LineSeries> series)
    {
        var xs = series.SelectMany(s => s.Points).Select(p => p.X).ToArray();
        var span = xs.Length == 0 ? 0 : xs.Max() - xs.Min();
        var format = span > 86_400 ? "MM-dd HH:mm" : "HH:mm:ss";
        return new LineChartSpec(title, "simulated time (UTC)", yLabel, series,
            x => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(x * 1000)).UtcDateTime.ToString(format, CultureInfo.InvariantCulture),
            y => y.ToString(Math.Abs(y) >= 1000 ? "#,0" : "#,0.####", CultureInfo.InvariantCulture))
        { TimeAxis = true };
    }

    private static GroupedBarChartSpec Histograms(IReadOnlyList<(string Name, string Color, IReadOnlyList<HistogramBucket> Buckets)> histograms)
    {
        var labels = histograms.Select(h => h.Buckets).FirstOrDefault(b => b.Count > 0)?.Select(b => b.Label).ToArray() ?? [];
        var groups = histograms
            .Select(h => (h.Name, h.Color, (IReadOnlyList<double>)Enumerable.Range(0, labels.Length)
                .Select(i => i < h.Buckets.Count ? (double)h.Buckets[i].Count : 0).ToArray()))
            .ToArray();
        return new GroupedBarChartSpec("Accounts by margin ratio", "accounts", labels, groups);
    }
}
