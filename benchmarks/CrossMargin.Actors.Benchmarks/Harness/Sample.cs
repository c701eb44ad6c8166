using System.Diagnostics;

namespace CrossMargin.Actors.Benchmarks.Harness;

/// <summary>
/// One timed run: messages moved, wall time, CPU time of the whole process (all threads, user + kernel), bytes
/// allocated by the whole process and GCs during it. On a shared, overloaded machine the wall-clock rate follows the
/// share of CPU the run got; CPU time per message is the steadier measure of the work each message costs.
/// </summary>
public readonly record struct Sample(long Messages, TimeSpan Elapsed, TimeSpan CpuTime, long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    /// <summary>Process CPU nanoseconds per message (includes thread-pool threads spinning while they wait for work).</summary>
    public double CpuNanosecondsPerMessage => CpuTime.TotalNanoseconds / Messages;

    /// <summary>How many cores' worth of CPU the run got (CPU time / wall time): low values mean the machine was busy elsewhere.</summary>
    public double CoresUsed => CpuTime / Elapsed;

    public double BytesPerMessage => (double)AllocatedBytes / Messages;

    /// <summary>Times <paramref name="run"/>, which must complete only when all <paramref name="messages"/> are handled.</summary>
    public static async Task<Sample> MeasureAsync(long messages, Func<Task> run)
    {
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await run().ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        process.Refresh();
        return new Sample(messages, elapsed, process.TotalProcessorTime - cpu, GC.GetTotalAllocatedBytes(precise: true) - allocated,
            GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
    }

    /// <summary>The sample with the median rate (odd counts) or the lower middle one.</summary>
    public static Sample Median(IReadOnlyList<Sample> samples) =>
        samples.OrderBy(s => s.MessagesPerSecond).ElementAt((samples.Count - 1) / 2);
}
