using System.Diagnostics;
using System.Globalization;
using CrossMargin.Actors.Benchmarks.Harness;
using CrossMargin.Actors.Benchmarks.Rigs;

namespace CrossMargin.Actors.Benchmarks.Quick;

/// <summary>
/// Runs one side of one scenario in a loop for a while, for an external profiler (<c>perf record</c>):
/// <c>--profile kernel|raw pingpong PAIRS INFLIGHT SECONDS</c> or <c>--profile kernel|raw fanout SECONDS</c>.
/// Prints the rate, CPU time and allocation per message of the whole loop.
/// </summary>
public static class ProfileRunner
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count < 3 || args[0] is not ("kernel" or "raw"))
            throw new ArgumentException("usage: --profile kernel|raw pingpong PAIRS INFLIGHT SECONDS | --profile kernel|raw fanout SECONDS");
        var kernel = args[0] == "kernel";
        int Int(int i) => int.Parse(args[i], CultureInfo.InvariantCulture);
        var samples = new List<Sample>();
        Stopwatch clock;
        switch (args[1])
        {
            case "pingpong" when args.Count >= 5:
                {
                    var (pairs, inFlight, seconds) = (Int(2), Int(3), Int(4));
                    await using IPingPongRig rig = kernel ? new KernelPingPong(pairs) : new RawPingPong(pairs);
                    var quota = Math.Max(inFlight, 1_000_000L / (2 * pairs));
                    clock = Stopwatch.StartNew();
                    while (clock.Elapsed.TotalSeconds < seconds)
                        samples.Add(await Sample.MeasureAsync(2 * quota * pairs, () => rig.RunAsync(inFlight, quota)).ConfigureAwait(false));
                    break;
                }
            case "fanout":
                {
                    var seconds = Int(2);
                    await using IFanOutRig rig = kernel ? await KernelFanOut.CreateAsync(QuickRunner.FanOutTargets).ConfigureAwait(false) : new RawFanOut(QuickRunner.FanOutTargets);
                    clock = Stopwatch.StartNew();
                    while (clock.Elapsed.TotalSeconds < seconds)
                        samples.Add(await Sample.MeasureAsync(rig.Targets, rig.RunRoundAsync).ConfigureAwait(false));
                    break;
                }
            default:
                throw new ArgumentException($"unknown profile scenario '{args[1]}' (pingpong PAIRS INFLIGHT SECONDS | fanout SECONDS)");
        }

        var steady = samples.Skip(samples.Count / 5).ToList(); // drop the warm-up fifth
        var messages = steady.Sum(s => s.Messages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{args[0]} {string.Join(' ', args.Skip(1))}: {messages / steady.Sum(s => s.Elapsed.TotalSeconds) / 1e6:0.00} M msg/s, " +
            $"{steady.Sum(s => s.CpuTime.TotalNanoseconds) / messages:0} CPU ns/msg, {(double)steady.Sum(s => s.AllocatedBytes) / messages:0.0} B/msg, " +
            $"GCs {steady.Sum(s => s.Gen0)}/{steady.Sum(s => s.Gen1)}/{steady.Sum(s => s.Gen2)} over {steady.Count} runs"));
        return 0;
    }
}
