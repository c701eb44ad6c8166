using BenchmarkDotNet.Attributes;
using CrossMargin.Engine.Benchmarks.Rigs;

namespace CrossMargin.Engine.Benchmarks.Bdn;

/// <summary>
/// A tick that crosses no account's band (the index moves by one tick of the grid) on the band-indexed engine, beside
/// the same tick on an identical engine that re-margins every account on every tick (the reference path).
/// </summary>
public class QuietTickBenchmarks
{
    private ToggleTicks _banded = null!;
    private ToggleTicks _everyone = null!;

    [Params(5_000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _banded = new ToggleTicks(EngineRig.Create(Accounts), 0m);
        _everyone = new ToggleTicks(EngineRig.Create(Accounts, remarginEveryone: true), 0m);
        _banded.Settle();
        _everyone.Settle(ticks: 4);
        Console.WriteLine($"// accounts woken per tick by the band index: {_banded.MeanWoken}; the reference re-margins all {Accounts} on every tick");
    }

    [Benchmark(Baseline = true, Description = "tick, re-margin every account")]
    public void EveryAccount() => _everyone.Next();

    [Benchmark(Description = "tick crossing no band, band index")]
    public void Banded() => _banded.Next();
}
