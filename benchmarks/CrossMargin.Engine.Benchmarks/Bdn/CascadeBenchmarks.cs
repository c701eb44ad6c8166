using BenchmarkDotNet.Attributes;
using CrossMargin.Engine.Benchmarks.Rigs;

namespace CrossMargin.Engine.Benchmarks.Bdn;

/// <summary>
/// A crash tick (the first instrument's index falls by <see cref="DropPercent"/>% at once) and every cascade round it
/// triggers, each time on a freshly seeded engine (built in the iteration setup, not timed), beside a plain loop
/// re-margining once every account the crash woke or touched. Divide by the rounds printed in the log for the cost per round.
/// </summary>
// Mutators of the in-process job of BdnConfig (a [SimpleJob] here would add an out-of-process job that builds the
// referenced projects into their default obj/ folders): one invocation per iteration, each on a fresh engine.
[InvocationCount(1)]
[WarmupCount(1)]
[IterationCount(6)]
public class CascadeBenchmarks
{
    private CrashTick _crash = null!;
    private CrashTick _probe = null!;

    [Params(5_000)]
    public int Accounts { get; set; }

    [Params(15)]
    public int DropPercent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _probe = new CrashTick(Accounts, DropPercent / 100m);
        _probe.Snapshot();
        _probe.Run();
        _probe.Record();
        var (rounds, fills, touched) = _probe.Outcome;
        Console.WriteLine($"// crash tick: {rounds} cascade rounds, {fills} fills, {_probe.WokenOrTouched.Count} accounts woken or touched ({touched.Count} with events)");
    }

    [IterationSetup(Target = nameof(CrashTickAndRounds))]
    public void FreshEngine() => _crash = new CrashTick(Accounts, DropPercent / 100m);

    [Benchmark(Baseline = true, Description = "plain loop, re-margin the woken or touched accounts once")]
    public int PlainLoop() => _probe.Rig.PlainRemargin(_probe.WokenOrTouched);

    [Benchmark(Description = "crash tick and its cascade rounds")]
    public void CrashTickAndRounds() => _crash.Run();
}
