using System.Diagnostics;
using System.Globalization;
using CrossMargin.Actors.Benchmarks.Harness;
using CrossMargin.Actors.Benchmarks.Rigs;

namespace CrossMargin.Actors.Benchmarks.Quick;

/// <summary>
/// The quick mode: every scenario, kernel and raw channels side by side in one process, printed as Markdown tables
/// ready to paste into benchmarks/README.md. Runs in well under a minute on the 2-core machine.
/// </summary>
public static class QuickRunner
{
    public const int FanOutTargets = 100_000;
    public const double TargetRate = 5_000_000;
    public const double TargetIdleMbPer100K = 100;
    private const long WarmUpMessages = 20_000;
    private const long CalibrationMessages = 200_000;

    private static readonly string FanOutName = $"fan-out, 1 message to each of {FanOutTargets:N0}";
    private static readonly string IdleScenario = $"idle memory, {FanOutTargets:N0} receivers";

    private static readonly int[] PairCounts = [1, 8, 64];
    private static readonly int[] InFlightCounts = [1, 30];

    public static async Task<int> RunAsync(QuickOptions options)
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine("## Actor kernel — quick mode");
        Console.WriteLine();
        Console.WriteLine($"- date: {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        Console.WriteLine($"- machine: {Machine.Describe()}");
        Console.WriteLine($"- load average (1/5/15 min) at start: {Machine.LoadAverage()}");
        Console.WriteLine($"- each rate: median of {options.Repetitions} runs of ~{options.SecondsPerRun:0.##} s (fan-out: of {FanOutRounds(options)} rounds), kernel and raw alternating;");
        Console.WriteLine("  a message is one hand-off (a ping and its pong are two); CPU ns/msg = process CPU time (all threads) per message;");
        Console.WriteLine("  cores used = CPU time / wall time (2.00 = the whole machine); B/msg = bytes allocated by the whole process per message");
        Console.WriteLine();

        // Idle memory first: its child processes are then not competing with this one's measurements.
        var idle = options.Includes(IdleScenario)
            ? (Raw: await IdleMemoryProbe.MeasureInChildAsync("raw", FanOutTargets).ConfigureAwait(false),
               Kernel: await IdleMemoryProbe.MeasureInChildAsync("kernel", FanOutTargets).ConfigureAwait(false))
            : default;

        var rows = new List<Row>();
        foreach (var pairs in PairCounts)
            foreach (var inFlight in InFlightCounts)
                if (options.Includes(PingPongName(pairs, inFlight)))
                    rows.Add(await PingPongAsync(pairs, inFlight, options).ConfigureAwait(false));
        if (options.Includes(FanOutName))
            rows.Add(await FanOutAsync(options).ConfigureAwait(false));

        if (rows.Count > 0)
        {
            PrintThroughput(rows);
            Console.WriteLine();
        }
        if (idle.Raw != null)
        {
            PrintIdleMemory(idle.Raw, idle.Kernel);
            Console.WriteLine();
        }
        Console.WriteLine($"- load average at end: {Machine.LoadAverage()}; quick mode took {total.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    private static int FanOutRounds(QuickOptions options) => Math.Max(7, 2 * options.Repetitions + 1);

    private static async Task<Row> PingPongAsync(int pairs, int inFlight, QuickOptions options)
    {
        await using var raw = new RawPingPong(pairs);
        await using var kernel = new KernelPingPong(pairs);
        IPingPongRig[] rigs = [raw, kernel];
        long QuotaFor(long messages) => Math.Max(inFlight, messages / (2L * pairs));

        // Warm-up (JIT tiers, thread pool), then one calibration run sizes each rig's runs to the target length.
        var quotas = new long[rigs.Length];
        for (var r = 0; r < rigs.Length; r++)
        {
            await rigs[r].RunAsync(inFlight, QuotaFor(WarmUpMessages)).ConfigureAwait(false);
            await rigs[r].RunAsync(inFlight, QuotaFor(WarmUpMessages)).ConfigureAwait(false);
            var calibration = await MeasurePingPong(rigs[r], inFlight, QuotaFor(CalibrationMessages)).ConfigureAwait(false);
            quotas[r] = QuotaFor((long)(calibration.MessagesPerSecond * options.SecondsPerRun));
        }

        var samples = new[] { new List<Sample>(), new List<Sample>() };
        for (var rep = 0; rep < options.Repetitions; rep++)
            for (var r = 0; r < rigs.Length; r++)
                samples[r].Add(await MeasurePingPong(rigs[r], inFlight, quotas[r]).ConfigureAwait(false));

        return new Row(PingPongName(pairs, inFlight), Sample.Median(samples[0]), Sample.Median(samples[1]), pairs >= 8 ? TargetRate : null);
    }

    private static string PingPongName(int pairs, int inFlight) => $"ping-pong, {pairs} pair{(pairs == 1 ? "" : "s")}, {inFlight} in flight";

    private static Task<Sample> MeasurePingPong(IPingPongRig rig, int inFlight, long quotaPerPair) =>
        Sample.MeasureAsync(2 * quotaPerPair * rig.Pairs, () => rig.RunAsync(inFlight, quotaPerPair));

    private static async Task<Row> FanOutAsync(QuickOptions options)
    {
        await using var raw = new RawFanOut(FanOutTargets);
        await using var kernel = await KernelFanOut.CreateAsync(FanOutTargets).ConfigureAwait(false);
        IFanOutRig[] rigs = [raw, kernel];
        foreach (var rig in rigs)
            for (var i = 0; i < 3; i++) await rig.RunRoundAsync().ConfigureAwait(false);

        var samples = new[] { new List<Sample>(), new List<Sample>() };
        for (var round = 0; round < FanOutRounds(options); round++)
            for (var r = 0; r < rigs.Length; r++)
                samples[r].Add(await Sample.MeasureAsync(rigs[r].Targets, rigs[r].RunRoundAsync).ConfigureAwait(false));
        return new Row(FanOutName, Sample.Median(samples[0]), Sample.Median(samples[1]), TargetRate);
    }

    private static void PrintThroughput(IReadOnlyList<Row> rows)
    {
        Console.WriteLine("| Scenario | Raw channels msg/s | Kernel msg/s | Kernel/raw | Raw CPU ns/msg | Kernel CPU ns/msg | Cores used raw/kernel | Raw B/msg | Kernel B/msg | Kernel GCs 0/1/2 | Target (kernel) |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var row in rows)
        {
            var target = row.Target is { } t
                ? $"≥ {Rate(t)}: {(row.Kernel.MessagesPerSecond >= t ? "met" : "**missed**")}"
                : "—";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Scenario} | {Rate(row.Raw.MessagesPerSecond)} | {Rate(row.Kernel.MessagesPerSecond)} | " +
                $"{row.Kernel.MessagesPerSecond / row.Raw.MessagesPerSecond:0.00} | {row.Raw.CpuNanosecondsPerMessage:0} | {row.Kernel.CpuNanosecondsPerMessage:0} | {row.Raw.CoresUsed:0.00}/{row.Kernel.CoresUsed:0.00} | {row.Raw.BytesPerMessage:0.#} | {row.Kernel.BytesPerMessage:0.#} | " +
                $"{row.Kernel.Gen0}/{row.Kernel.Gen1}/{row.Kernel.Gen2} | {target} |"));
        }
    }

    private static void PrintIdleMemory(IdleMemory raw, IdleMemory kernel)
    {
        Console.WriteLine($"| {FanOutTargets:N0} idle receivers | Managed heap MB/100k | Working set MB/100k | Bytes each (managed) | Time to create | Target |");
        Console.WriteLine("|---|--:|--:|--:|--:|---|");
        foreach (var (label, m, target) in new[] { ("raw: channel + parked consumer task", raw, "—"), ("kernel: ReceiveActor under /user", kernel, null) })
        {
            var verdict = target ?? $"≤ {TargetIdleMbPer100K:0} MB: {(Math.Max(m.ManagedMbPer100K, m.WorkingSetMbPer100K) <= TargetIdleMbPer100K ? "met" : "**missed**")}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {m.ManagedMbPer100K:0.0} | {m.WorkingSetMbPer100K:0.0} | {m.BytesPerReceiver:0} | {m.SpawnTime.TotalMilliseconds:0} ms | {verdict} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kernel/raw managed memory: {kernel.ManagedBytes / (double)raw.ManagedBytes:0.00}"));
    }

    private static string Rate(double perSecond) => string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e6:0.00} M");

    private sealed record Row(string Scenario, Sample Raw, Sample Kernel, double? Target);
}
