using System.Diagnostics;

namespace CrossMargin.Engine.Benchmarks.Quick;

/// <summary>Per-operation cost of one batch: wall time, CPU time of the whole process (all threads), bytes allocated.</summary>
public readonly record struct Cost(double WallNs, double CpuNs, double Bytes)
{
    /// <summary>The median of each figure over <paramref name="batches"/> (taken independently).</summary>
    public static Cost Median(IReadOnlyList<Cost> batches) =>
        new(Mid(batches.Select(b => b.WallNs)), Mid(batches.Select(b => b.CpuNs)), Mid(batches.Select(b => b.Bytes)));

    private static double Mid(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>Stopwatch measurement for the quick mode: a warm-up, then the median of several timed batches.</summary>
public static class Measure
{
    /// <summary>Runs <paramref name="op"/> <paramref name="warmup"/> times, then <paramref name="batches"/> batches of <paramref name="ops"/>; returns the median per-op cost.</summary>
    public static Cost Run(Action op, int ops, int batches = 5, int warmup = -1)
    {
        ArgumentNullException.ThrowIfNull(op);
        for (var i = 0; i < (warmup < 0 ? Math.Max(1, ops / 5) : warmup); i++)
        {
            op();
        }

        var results = new List<Cost>(batches);
        for (var b = 0; b < batches; b++)
        {
            results.Add(Batch(op, ops));
        }

        return Cost.Median(results);
    }

    /// <summary>One timed batch of <paramref name="ops"/> calls.</summary>
    public static Cost Batch(Action op, int ops)
    {
        ArgumentNullException.ThrowIfNull(op);
        var process = Process.GetCurrentProcess();
        var bytes0 = GC.GetTotalAllocatedBytes(precise: true);
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < ops; i++)
        {
            op();
        }

        sw.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes0;
        return new Cost(sw.Elapsed.TotalNanoseconds / ops, cpu.TotalNanoseconds / ops, (double)bytes / ops);
    }
}
