using System.Diagnostics;
using System.Globalization;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Benchmarks;

/// <summary>
/// <c>--quick</c>: a Stopwatch loop over the same work as <see cref="RemarginBenchmarks"/> (warm-up, then the best of
/// five timed batches), printing ns/op and the ratio to the struct-loop baseline in well under a minute. Indicative
/// only; the BenchmarkDotNet run is the reference.
/// </summary>
public static class QuickRunner
{
    public static void Run()
    {
        Console.WriteLine($"CrossMargin.Risk re-margin, quick mode — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, .NET {Environment.Version}");
        Console.WriteLine("ns/op from this thread's CPU time (getrusage; robust to other load on the machine); wall-clock ns/op in brackets");
        Console.WriteLine("positions | struct loop (baseline) | incremental | ratio | full recompute | MarginEngine.Evaluate");
        foreach (var n in new[] { 1, 5, 20 })
        {
            var s = new RemarginScenario(n);
            var calc = new MarginCalculator(s.Account, s.Catalog, s.Prices);
            var baseline = new StructBaseline(s);
            var tick = 0;
            (int, decimal) Next()
            {
                var t = tick++;
                var k = t % n;
                return (k, (t / n) % 2 == 0 ? s.TickMarks[k].Up : s.TickMarks[k].Down);
            }

            var structNs = Measure(400_000, () => { var (k, m) = Next(); _ = baseline.Tick(k, m); });
            var incNs = Measure(400_000, () => { var (k, m) = Next(); calc.UpdateMark(k, m); _ = calc.Classify(RiskState.Healthy, RiskThresholds.Default); });
            var fullNs = Measure(60_000, () => { calc.Recompute(); _ = calc.Classify(RiskState.Healthy, RiskThresholds.Default); });
            var evalNs = Measure(6_000, () => _ = MarginEngine.Evaluate(s.Account, s.Catalog, s.Prices));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{n,9} | {structNs.Cpu,9:F1} [{structNs.Wall,7:F1}] | {incNs.Cpu,7:F1} [{incNs.Wall,7:F1}] | {incNs.Cpu / structNs.Cpu,5:F2} | {fullNs.Cpu,7:F1} [{fullNs.Wall,7:F1}] | {evalNs.Cpu,8:F1} [{evalNs.Wall,8:F1}]"));
        }

        // Risk bands of an account near a boundary (equity 1.3 × MM): the plain decimal bisection for the box fixed point
        // (ρ evaluated at all eleven points, the baseline) against RiskBands.Compute (the bisection in floating point,
        // each ρ taken 1e-9 low; within one bisection step of the baseline, never wider than valid).
        Console.WriteLine();
        Console.WriteLine("positions | bands, plain bisection (baseline) | bands, RiskBands.Compute (floating-point fixed point) | ratio");
        foreach (var n in new[] { 1, 5, 20 })
        {
            var b = new BandsScenario(n);
            var plainNs = Measure(4_000, () => _ = Bands.RiskBands.ComputeByBisection(b.Account, b.Catalog, b.Prices, b.Config, RiskState.Healthy));
            var steeredNs = Measure(4_000, () => _ = Bands.RiskBands.Compute(b.Account, b.Catalog, b.Prices, b.Config, RiskState.Healthy));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{n,9} | {plainNs.Cpu,12:F1} [{plainNs.Wall,9:F1}] | {steeredNs.Cpu,12:F1} [{steeredNs.Wall,9:F1}] | {steeredNs.Cpu / plainNs.Cpu,5:F2}"));
        }
    }

    /// <summary>Best of five batches, as CPU time and wall time per operation (ns).</summary>
    private static (double Cpu, double Wall) Measure(int iterations, Action op)
    {
        for (var i = 0; i < iterations / 10; i++)
        {
            op();
        }

        double bestCpu = double.MaxValue, bestWall = double.MaxValue;
        for (var batch = 0; batch < 5; batch++)
        {
            var cpu0 = ThreadCpu.Now();
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                op();
            }

            sw.Stop();
            bestCpu = Math.Min(bestCpu, (ThreadCpu.Now() - cpu0).TotalNanoseconds / iterations);
            bestWall = Math.Min(bestWall, sw.Elapsed.TotalNanoseconds / iterations);
        }

        return (bestCpu, bestWall);
    }
}
