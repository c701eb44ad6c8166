using System.Text.Json;
using CrossMargin.Cli.Services;
using CrossMargin.Engine.LoadTest;

namespace CrossMargin.Cli.Tests.LoadTest;

/// <summary>
/// Helpers shared by the load-test command specs: engine services whose runner is the real <see cref="LoadTestRunner"/>
/// on a <see cref="ServiceTimeClock"/> (virtual time: runs cost only the engine's work, never the schedule's length), and
/// checks that a report.json is internally consistent.
/// </summary>
internal static class LoadTestRuns
{
    /// <summary>0.1 ms of virtual time per clock read: about 0.2 ms per tick, far below the intervals of the rates used.</summary>
    public const long FastService = 100_000;

    /// <summary>Services with the real runner timed by <paramref name="clock"/>.</summary>
    public static EngineServices Services(ILoadClock clock) =>
        new() { LoadTest = ctx => new LoadTestRunner(ctx.Configuration.Config, ctx.Logger, clock) };

    /// <summary>Services that fail the test if a runner is ever built (bad input must be refused before anything runs).</summary>
    public static EngineServices MustNotRun() =>
        new() { LoadTest = _ => throw new InvalidOperationException("the load test ran although its input was refused") };

    /// <summary>Every property docs/loadtest.md lists for report.json, as written (camelCase).</summary>
    public static readonly string[] TopLevelFields =
    [
        "schemaVersion", "kind", "partial", "backlogAtStop", "startedAt", "machine", "accounts", "instruments", "tickRate", "durationSeconds",
        "stepUp", "journal", "setupSeconds", "runSeconds", "drainSeconds", "ticks", "events", "marginCalls", "liquidations", "ticksPerSecond",
        "eventsPerSecond", "accountUpdatesPerSecond", "tickToMarginDecision", "activeTickToMarginDecision", "marginCallToLiquidationFilled",
        "journalWrite", "journalLag", "gc", "steps", "saturationRate", "saturationReason", "latencyOverTime", "histogram", "cascade", "roundActions",
        "rounds", "pendingLiquidationsAtEnd", "cascadeDrainSeconds", "cascadeDrainRounds", "cascadeDrainLiquidations", "wokenPerTick", "remarginsPerTick",
        "allocatedBytesPerTick", "journalBatches",
    ];

    public static readonly string[] SummaryFields = ["count", "p50", "p90", "p99", "p999", "max", "mean"];

    public static readonly string[] GcFields =
    [
        "pauseTotalMs", "pausePercent", "gen0", "gen1", "gen2", "allocatedBytes", "allocationRateBytesPerSecond", "heapBytesAtEnd", "peakWorkingSetBytes",
    ];

    public static readonly string[] StepFields = ["offeredRate", "ticks", "achievedRate", "latency", "backlogAtEnd", "lagAtEndMs", "passed"];

    /// <summary>Asserts that report.json at <paramref name="path"/> has every documented field and returns it parsed.</summary>
    public static LoadTestReport ReadWithAllFields(string path)
    {
        using (var doc = JsonDocument.Parse(File.ReadAllText(path)))
        {
            var root = doc.RootElement;
            Assert.All(TopLevelFields, f => Assert.True(root.TryGetProperty(f, out _), $"report.json has no '{f}'"));
            foreach (var summary in new[] { "tickToMarginDecision", "activeTickToMarginDecision", "marginCallToLiquidationFilled", "journalWrite", "journalLag" })
            {
                Assert.All(SummaryFields, f => Assert.True(root.GetProperty(summary).TryGetProperty(f, out _), $"{summary} has no '{f}'"));
            }

            Assert.All(GcFields, f => Assert.True(root.GetProperty("gc").TryGetProperty(f, out _), $"gc has no '{f}'"));
            foreach (var step in root.GetProperty("steps").EnumerateArray())
            {
                Assert.All(StepFields, f => Assert.True(step.TryGetProperty(f, out _), $"a step has no '{f}'"));
            }
        }

        return LoadTestComparison.Read(path);
    }

    /// <summary>Counts add up across the report's views of the same ticks, and every latency summary is ordered.</summary>
    public static void AssertConsistent(LoadTestReport r)
    {
        Assert.Equal("loadtest", r.Kind);
        Assert.Equal(1, r.SchemaVersion);
        Assert.Equal(r.Ticks, r.TickToMarginDecision.Count);
        Assert.Equal(r.Ticks, r.Histogram.Sum(b => b.Count));
        Assert.Equal(r.Ticks, r.LatencyOverTime.Sum(p => p.Ticks));
        Assert.Equal(r.Ticks, r.Steps.Sum(s => s.Ticks));
        Assert.InRange(r.ActiveTickToMarginDecision.Count, 0, r.Ticks);
        // Fills of accounts called during the window are timed, in the window and in the cascade drain after it.
        Assert.InRange(r.MarginCallToLiquidationFilled.Count, 0, r.Liquidations + r.CascadeDrainLiquidations);
        Assert.True(r.Cascade is "spread" or "inline", $"cascade '{r.Cascade}'");
        Assert.True(r.Cascade == "spread" ? r.RoundActions >= 1 : r.RoundActions is null, $"round actions {r.RoundActions} with {r.Cascade}");
        Assert.True(r.PendingLiquidationsAtEnd >= 0 && r.CascadeDrainRounds >= 0 && r.CascadeDrainSeconds >= 0);
        Assert.True(r.Events >= r.Ticks, $"{r.Events} events for {r.Ticks} ticks (every tick is journaled)");
        Assert.True(r.EventsPerSecond >= r.TicksPerSecond, $"events/s {r.EventsPerSecond} < ticks/s {r.TicksPerSecond}");
        Assert.True(r.AccountUpdatesPerSecond <= r.EventsPerSecond);
        Assert.True(r.RunSeconds > 0);
        foreach (var (name, s) in new[]
                 {
                     ("tick", r.TickToMarginDecision), ("active tick", r.ActiveTickToMarginDecision), ("fill", r.MarginCallToLiquidationFilled),
                     ("journal write", r.JournalWrite), ("journal lag", r.JournalLag),
                 }.Concat(r.Steps.Select((s, i) => ($"step {i}", s.Latency))))
        {
            AssertOrdered(name, s);
        }

        foreach (var p in r.LatencyOverTime)
        {
            Assert.True(p.P50 <= p.P99 && p.P99 <= p.Max, $"second {p.Second}: p50 {p.P50} ≤ p99 {p.P99} ≤ max {p.Max} does not hold");
        }

        Assert.Equal(r.LatencyOverTime.Select(p => p.Second).Order(), r.LatencyOverTime.Select(p => p.Second));
        for (var i = 0; i < r.Histogram.Count; i++)
        {
            Assert.True(r.Histogram[i].LowerMs < r.Histogram[i].UpperMs, $"bar {i} is empty or reversed");
            Assert.True(i == 0 || r.Histogram[i - 1].UpperMs <= r.Histogram[i].LowerMs, $"bars {i - 1} and {i} overlap");
        }

        Assert.True(r.Gc.PauseTotalMs >= 0 && r.Gc.Gen0 >= r.Gc.Gen1 && r.Gc.Gen1 >= r.Gc.Gen2 && r.Gc.AllocatedBytes >= 0 && r.Gc.PeakWorkingSetBytes > 0,
            $"GC figures {r.Gc}");
    }

    /// <summary>p50 ≤ p90 ≤ p99 ≤ p99.9 ≤ max, mean ≤ max, none negative; all zero when there are no samples.</summary>
    public static void AssertOrdered(string name, LatencySummary s)
    {
        Assert.True(s.Count >= 0, $"{name}: count {s.Count}");
        Assert.True(s.P50 >= 0 && s.P50 <= s.P90 && s.P90 <= s.P99 && s.P99 <= s.P999 && s.P999 <= s.Max && s.Mean <= s.Max,
            $"{name}: p50 {s.P50} ≤ p90 {s.P90} ≤ p99 {s.P99} ≤ p99.9 {s.P999} ≤ max {s.Max} (mean {s.Mean}) does not hold");
        if (s.Count == 0)
        {
            Assert.Equal(0, s.Max);
        }
    }
}
