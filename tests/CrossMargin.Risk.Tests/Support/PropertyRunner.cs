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
    private const ulong ReplaySeed = 20_261_122UL;

    /// <summary>Checks <paramref name="property"/> over <paramref name="runs"/> generated scenario seeds.</summary>
    public static void ForAllSeeds(int runs, Func<int, bool> property)
    {
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(runs)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(ReplaySeed), FSharpOption<int>.None)));
        Check.One(config, Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), property));
    }
}
