using System.Diagnostics;
using System.Globalization;
using CrossMargin.Engine.Benchmarks.Rigs;

namespace CrossMargin.Engine.Benchmarks.Quick;

/// <summary>
/// <c>--quick</c>: every engine scenario beside its same-process baseline in about a minute, as a Markdown table
/// (wall and whole-process CPU time per operation, bytes allocated per operation, ratio to the baseline). Indicative;
/// the BenchmarkDotNet suites are the reference.
/// </summary>
public static class QuickRunner
{
    /// <summary>Runs every scenario and writes the table to <paramref name="output"/>.</summary>
    public static void Run(QuickOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var n = options.Accounts;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CrossMargin engine benchmarks, quick mode — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Machine.Describe()}, load {Machine.LoadAverage()}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"population: crash scenario, {n:N0} accounts, seed 42; ticks on the first instrument; journal: numbered, serialized and hashed, then discarded"));
        output.WriteLine("per operation: median of batches; CPU = process CPU time over all threads (the re-margin of large wake-ups runs in parallel)");
        output.WriteLine();
        output.WriteLine("| Scenario | Accounts woken per tick | Engine wall µs | Engine CPU µs | Engine KB alloc | Baseline | Baseline wall µs | Baseline CPU µs | Ratio wall | Ratio CPU |");
        output.WriteLine("|---|--:|--:|--:|--:|---|--:|--:|--:|--:|");
        var sw = Stopwatch.StartNew();

        // A tick that crosses no band, beside the re-margin-everyone path on an identical engine.
        {
            var banded = new ToggleTicks(EngineRig.Create(n), 0m);
            var everyone = new ToggleTicks(EngineRig.Create(n, remarginEveryone: true), 0m);
            banded.Settle();
            everyone.Settle(ticks: 4); // every tick costs a full re-margin here; nothing to settle in the band index
            var engine = Timed(banded.Next, options.BatchSeconds, options.Batches);
            var baseline = Timed(everyone.Next, options.BatchSeconds, options.Batches);
            Row(output, "tick crossing no band (index ±1 tick)", banded.MeanWoken.ToString("0.#", CultureInfo.InvariantCulture), engine,
                $"every account re-margined ({n:N0})", baseline);
        }

        // Ticks that wake k accounts, beside a plain loop re-margining the same k accounts.
        foreach (var move in options.Moves)
        {
            var ticks = new ToggleTicks(EngineRig.Create(n), move);
            ticks.Settle(ticks: 40);
            var engine = Timed(ticks.Next, options.BatchSeconds, options.Batches);
            var baseline = Timed(() => ticks.NextPlain(), options.BatchSeconds, options.Batches);
            Row(output, string.Create(CultureInfo.InvariantCulture, $"tick waking k accounts (index ±{move:0.###%})"), ticks.MeanWoken.ToString("0.#", CultureInfo.InvariantCulture),
                engine, "plain loop re-margining the same k accounts", baseline);
        }

        // A crash tick and its cascade rounds, on fresh engines, beside a plain loop over the accounts it touched.
        var crashes = new List<(Cost Cost, CrashTick Crash)>();
        for (var i = 0; i < options.Crashes; i++)
        {
            var crash = new CrashTick(n, options.CrashDrop);
            crash.Snapshot();
            var cost = Measure.Batch(crash.Run, 1);
            crash.Record();
            crashes.Add((cost, crash));
        }

        var last = crashes[^1].Crash;
        var (rounds, fills, touched) = last.Outcome;
        var woken = last.WokenOrTouched;
        var crashCost = Cost.Median(crashes.Select(c => c.Cost).ToList());
        var plain = Timed(() => last.Rig.PlainRemargin(woken), options.BatchSeconds, options.Batches);
        Row(output, string.Create(CultureInfo.InvariantCulture, $"crash tick −{options.CrashDrop:0.#%}: {rounds} cascade rounds, {fills:N0} fills"),
            string.Create(CultureInfo.InvariantCulture, $"{woken.Count:N0} woken or touched ({touched.Count:N0} with events)"), crashCost,
            "plain loop re-margining those accounts once", plain);
        var perRound = new Cost(crashCost.WallNs / Math.Max(1, rounds), crashCost.CpuNs / Math.Max(1, rounds), crashCost.Bytes / Math.Max(1, rounds));
        var plainPerRound = new Cost(plain.WallNs / Math.Max(1, rounds), plain.CpuNs / Math.Max(1, rounds), plain.Bytes / Math.Max(1, rounds));
        Row(output, "per cascade round (crash tick ÷ rounds)", (woken.Count / (double)Math.Max(1, rounds)).ToString("0.#", CultureInfo.InvariantCulture),
            perRound, "plain loop ÷ rounds", plainPerRound);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"crash ticks measured: {crashes.Count} (wall ms each: {string.Join(", ", crashes.Select(c => (c.Cost.WallNs / 1e6).ToString("0.#", CultureInfo.InvariantCulture)))}); rounds per crash: {string.Join(", ", crashes.Select(c => c.Crash.Outcome.Rounds))}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {sw.Elapsed.TotalSeconds:0.0} s, load at end {Machine.LoadAverage()}"));
    }

    /// <summary>Sizes batches to about <paramref name="seconds"/> each from one probe call, then measures.</summary>
    private static Cost Timed(Action op, double seconds, int batches)
    {
        var probe = Stopwatch.StartNew();
        op();
        var each = Math.Max(1e-7, probe.Elapsed.TotalSeconds);
        var ops = (int)Math.Clamp(seconds / each, 1, 200_000);
        return Measure.Run(op, ops, batches, warmup: Math.Max(1, ops / 5));
    }

    private static void Row(TextWriter output, string scenario, string woken, Cost engine, string baselineName, Cost baseline) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {scenario} | {woken} | {engine.WallNs / 1e3:0.0} | {engine.CpuNs / 1e3:0.0} | {engine.Bytes / 1024:0.0} | {baselineName} | {baseline.WallNs / 1e3:0.0} | {baseline.CpuNs / 1e3:0.0} | {Ratio(engine.WallNs, baseline.WallNs)} | {Ratio(engine.CpuNs, baseline.CpuNs)} |"));

    /// <summary>engine ÷ baseline with three significant digits (a quiet tick is many thousand times cheaper than the baseline).</summary>
    private static string Ratio(double engine, double baseline) =>
        baseline <= 0 ? "-" : (engine / baseline).ToString(engine / baseline >= 0.001 ? "0.000" : "0.###E+0", CultureInfo.InvariantCulture);
}
