using BenchmarkDotNet.Attributes;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Benchmarks;

/// <summary>Re-margin one account after a tick on one of its instruments: incremental calculator vs struct-loop baseline.</summary>
[MemoryDiagnoser]
public class RemarginBenchmarks
{
    private RemarginScenario scenario = null!;
    private MarginCalculator calculator = null!;
    private StructBaseline baseline = null!;
    private int tick;

    [Params(1, 5, 20)]
    public int Positions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        scenario = new RemarginScenario(Positions);
        calculator = new MarginCalculator(scenario.Account, scenario.Catalog, scenario.Prices);
        baseline = new StructBaseline(scenario);
    }

    [Benchmark(Baseline = true, Description = "struct loop, full recompute")]
    public RiskState StructLoop()
    {
        var (k, mark) = Next();
        return baseline.Tick(k, mark);
    }

    [Benchmark(Description = "MarginCalculator.UpdateMark + Classify")]
    public RiskState Incremental()
    {
        var (k, mark) = Next();
        calculator.UpdateMark(k, mark);
        return calculator.Classify(RiskState.Healthy, RiskThresholds.Default);
    }

    [Benchmark(Description = "MarginCalculator.Recompute + Classify")]
    public RiskState FullRecompute()
    {
        calculator.Recompute();
        return calculator.Classify(RiskState.Healthy, RiskThresholds.Default);
    }

    private (int, decimal) Next()
    {
        var t = tick++;
        var k = t % Positions;
        var marks = scenario.TickMarks[k];
        return (k, (t / Positions) % 2 == 0 ? marks.Up : marks.Down);
    }
}
