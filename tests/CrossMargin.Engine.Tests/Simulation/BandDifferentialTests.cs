using Xunit;

namespace CrossMargin.Engine.Tests.Simulation;

/// <summary>Issue 5 item 2: waking only the accounts whose band a tick leaves equals re-margining every account on every tick.</summary>
public sealed class BandDifferentialTests
{
    [Theory]
    [InlineData("crash")]
    [InlineData("collateral-depeg")]
    public void Band_wake_ups_should_give_the_same_state_transitions_at_the_same_ticks_as_remargining_everyone(string scenario)
    {
        var banded = SimulationFixtures.Run(SimulationFixtures.Load(scenario, 80, 11), r => r.RecordTransitions = true);
        var everyone = SimulationFixtures.Run(SimulationFixtures.Load(scenario, 80, 11), r =>
        {
            r.RecordTransitions = true;
            r.RemarginEveryAccount = true;
        });

        var a = banded.Runner.LastHost!.Transitions!;
        var b = everyone.Runner.LastHost!.Transitions!;
        Assert.NotEmpty(a);
        Assert.Equal(b, a);
        Assert.Equal(everyone.Report.JournalHash, banded.Report.JournalHash);
    }
}
