using System.Globalization;
using CrossMargin.Engine.Reporting.Charts;

namespace CrossMargin.Engine.LoadTest;

/// <summary>Renders a <see cref="LoadTestReport"/> as one self-contained HTML page (inline SVG, no scripts) and as summary rows.</summary>
public static class LoadTestHtml
{
    /// <summary>(figure, value) rows of the summary, as the CLI's table and the page show them.</summary>
    public static IReadOnlyList<(string Figure, string Value)> SummaryRows(LoadTestReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var rows = new List<(string, string)>
        {
            ("status", r.Interruption is { } cut ? $"partial ({cut})" : r.Partial ? $"partial (interrupted; {N(r.BacklogAtStop)} ticks due were not processed)" : "complete"),
            ("machine", r.Machine),
            ("accounts / instruments", $"{N(r.Accounts)} / {r.Instruments.Count}"),
            ("offered rate", r.StepUp ? $"step-up from {N(r.TickRate)} ticks/s" : $"{N(r.TickRate)} ticks/s"),
            ("journal", r.Journal),
            ("setup / window / drain", $"{F(r.SetupSeconds)} s / {F(r.RunSeconds)} s / {F(r.DrainSeconds)} s"),
            ("ticks", $"{N(r.Ticks)} ({F(r.TicksPerSecond)}/s)"),
            ("events", $"{N(r.Events)} ({F(r.EventsPerSecond)}/s; account updates {F(r.AccountUpdatesPerSecond)}/s)"),
            ("events by kind", Kinds(r)),
            ("margin calls / liquidation fills", $"{N(r.MarginCalls)} / {N(r.Liquidations)}"),
            ("cascade", r.Cascade == "spread"
                ? $"spread: {N(r.Rounds)} rounds of at most {N(r.RoundActions ?? 0)} actions between ticks; {N(r.PendingLiquidationsAtEnd)} requests queued at the end, worked off in {F(r.CascadeDrainSeconds)} s ({N(r.CascadeDrainRounds)} rounds, {N(r.CascadeDrainLiquidations)} fills)"
                : $"inline: {N(r.Rounds)} rounds, each cascade run to quiet on the tick that set it off"),
            ("work per tick", $"{F(r.WokenPerTick)} band wake-ups, {F(r.RemarginsPerTick)} re-margins, {F(r.AllocatedBytesPerTick / 1e3)} KB allocated"),
            ("tick → margin decision", L(r.TickToMarginDecision)),
            ("  ticks putting accounts at risk", L(r.ActiveTickToMarginDecision)),
            ("margin call → liquidation filled", L(r.MarginCallToLiquidationFilled)),
            ("journal write", L(r.JournalWrite)),
            ("journal lag", L(r.JournalLag)),
            ("journal batches", r.JournalDrained ? N(r.JournalBatches) : $"{N(r.JournalBatches)}; not drained: the bounded shutdown gave up waiting for the journal"),
            ("GC pauses", $"{F(r.Gc.PauseTotalMs)} ms ({F(r.Gc.PausePercent)}%), collections gen0 {r.Gc.Gen0} gen1 {r.Gc.Gen1} gen2 {r.Gc.Gen2}"),
            ("allocation", $"{F(r.Gc.AllocatedBytes / 1e6)} MB ({F(r.Gc.AllocationRateBytesPerSecond / 1e6)} MB/s)"),
            ("memory", $"heap {F(r.Gc.HeapBytesAtEnd / 1e6)} MB, peak working set {F(r.Gc.PeakWorkingSetBytes / 1e6)} MB"),
        };
        if (r.StepUp)
        {
            rows.Add(("saturation rate", r.SaturationRate is { } s ? $"{N(s)} ticks/s" : "none (the first step failed)"));
            rows.Add(("step-up stopped", r.SaturationReason ?? ""));
        }

        return rows;
    }

    /// <summary>The five most numerous kinds with their shares, then the rest: what the window's journal was made of.</summary>
    private static string Kinds(LoadTestReport r)
    {
        if (r.EventsByKind.Count == 0)
        {
            return "none";
        }

        var total = Math.Max(1, r.EventsByKind.Sum(k => k.Count));
        var top = r.EventsByKind.Take(5).Select(k => $"{k.Kind} {N(k.Count)} ({(100.0 * k.Count / total).ToString("0.#", CultureInfo.InvariantCulture)}%)");
        var rest = r.EventsByKind.Skip(5).Sum(k => k.Count);
        return string.Join(", ", top) + (rest > 0 ? $", others {N(rest)}" : "");
    }

    /// <summary>The page.</summary>
    public static string Render(LoadTestReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var page = new HtmlPage(r.Partial ? "Load test (partial)" : "Load test");
        page.Table(["figure", "value"], SummaryRows(r).Select(x => (IReadOnlyList<string>)[x.Figure, x.Value]));
        page.Heading(2, "Tick → margin decision over time (by scheduled second)");
        page.Chart(LineChart.Render(new LineChartSpec("Latency per second", "second of the run", "ms",
        [
            new LineSeries("p50", "#1f77b4", r.LatencyOverTime.Select(p => ((double)p.Second, p.P50)).ToList()),
            new LineSeries("p99", "#d62728", r.LatencyOverTime.Select(p => ((double)p.Second, p.P99)).ToList()),
            new LineSeries("max", "#7f7f7f", r.LatencyOverTime.Select(p => ((double)p.Second, p.Max)).ToList(), Dashed: true),
        ], x => x.ToString("0", CultureInfo.InvariantCulture), y => y.ToString("0.###", CultureInfo.InvariantCulture))));
        page.Heading(2, "Latency histogram");
        page.Chart(GroupedBarChart.Render(new GroupedBarChartSpec("Tick → margin decision", "ticks",
            r.Histogram.Select(b => $"{b.LowerMs.ToString("0.###", CultureInfo.InvariantCulture)}").ToList(),
            [("ticks", "#1f77b4", r.Histogram.Select(b => (double)b.Count).ToList())])));
        page.Paragraph("Bars are labelled with their lower bound in ms; each bar spans a quarter of a power of two.");
        page.Heading(2, "Throughput against offered load");
        page.Chart(LineChart.Render(new LineChartSpec("Achieved vs offered ticks/s per step", "offered ticks/s", "ticks/s",
        [
            new LineSeries("achieved", "#2ca02c", r.Steps.Select(s => ((double)s.OfferedRate, s.AchievedRate)).ToList()),
            new LineSeries("offered", "#7f7f7f", r.Steps.Select(s => ((double)s.OfferedRate, (double)s.OfferedRate)).ToList(), Dashed: true),
        ], x => x.ToString("#,0", CultureInfo.InvariantCulture), y => y.ToString("#,0", CultureInfo.InvariantCulture))));
        page.Table(["offered/s", "ticks", "achieved/s", "p50 ms", "p99 ms", "max ms", "backlog at end", "lag at end ms", "passed"],
            r.Steps.Select(s => (IReadOnlyList<string>)[N(s.OfferedRate), N(s.Ticks), F(s.AchievedRate), F(s.Latency.P50), F(s.Latency.P99), F(s.Latency.Max),
                N(s.BacklogAtEnd), F(s.LagAtEndMs), s.Passed ? "yes" : "no"]));
        page.Paragraph("Latencies are measured from each tick's scheduled send time (open loop), so a stall counts against every tick that fell due during it.");
        return page.ToString();
    }

    private static string L(LatencySummary s) => s.Count == 0
        ? "no samples"
        : $"p50 {F(s.P50)} p90 {F(s.P90)} p99 {F(s.P99)} p99.9 {F(s.P999)} max {F(s.Max)} ms (n={N(s.Count)})";

    private static string N(long v) => v.ToString("#,0", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString(v >= 100 ? "#,0" : "0.###", CultureInfo.InvariantCulture);
}
