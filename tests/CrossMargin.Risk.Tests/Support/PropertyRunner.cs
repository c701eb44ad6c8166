using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace CrossMargin.Risk.Tests.Support;

/// <summary>
/// Runs FsCheck properties from xunit facts (FsCheck.Xunit is not on the package source). A fixed replay seed makes
/// every run identical; a failure message carries the generated scenario seed, which rebuilds the case exactly.
/// </summary>
internal static class PropertyRunner
{
    private const ulong DefaultReplaySeed = 20_261_122UL;

    /// <summary>Optional soak settings: RISK_PROPERTY_SEED (replay seed) and RISK_PROPERTY_SCALE (run multiplier).</summary>
    private static readonly ulong ReplaySeed = ulong.TryParse(Environment.GetEnvironmentVariable("RISK_PROPERTY_SEED"), out var s) ? s : DefaultReplaySeed;

    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("RISK_PROPERTY_SCALE"), out var k) && k > 0 ? k : 1;

    /// <summary>Checks <paramref name="property"/> over <paramref name="runs"/> generated scenario seeds.</summary>
    public static void ForAllSeeds(int runs, Func<int, bool> property)
    {
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(runs * Scale)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(ReplaySeed), FSharpOption<int>.None)));
        Check.One(config, Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), (int seed) =>
            property(seed) ? true : throw new InvalidOperationException($"property failed for scenario seed {seed}")));
    }
}
