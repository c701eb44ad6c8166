using BenchmarkDotNet.Attributes;
using CrossMargin.Engine.Benchmarks.Rigs;

namespace CrossMargin.Engine.Benchmarks.Bdn;

/// <summary>
/// A tick that wakes k accounts (the index alternates between the opening level and one <see cref="MoveBasisPoints"/>
/// away, so the same accounts wake on every tick), beside a plain loop re-margining those k accounts through the risk
/// core (no band index, no journal, no coordinator).
/// </summary>
public class WakeTickBenchmarks
{
    private ToggleTicks _ticks = null!;

    [Params(5_000)]
    public int Accounts { get; set; }

    [Params(50, 200)]
    public int MoveBasisPoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ticks = new ToggleTicks(EngineRig.Create(Accounts), MoveBasisPoints / 10_000m);
        _ticks.Settle(ticks: 40);
        Console.WriteLine($"// accounts woken per tick (k): {_ticks.MeanWoken}");
    }

    [Benchmark(Baseline = true, Description = "plain loop, re-margin the same k accounts")]
    public int PlainLoop() => _ticks.NextPlain();

    [Benchmark(Description = "engine tick waking k accounts")]
    public void EngineTick() => _ticks.Next();
}
