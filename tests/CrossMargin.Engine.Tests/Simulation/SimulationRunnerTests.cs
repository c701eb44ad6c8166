using CrossMargin.Engine.Reporting;
using Xunit;
using Xunit.Abstractions;

namespace CrossMargin.Engine.Tests.Simulation;

public sealed class SimulationRunnerTests(ITestOutputHelper output)
{
    [Fact]
    public void Crash_run_should_liquidate_accounts_and_hold_every_invariant()
    {
        var scenario = SimulationFixtures.Load("crash", 300, 42);
        var (report, _, _) = SimulationFixtures.Run(scenario);
        output.WriteLine($"ticks {report.Ticks} events {report.Events} calls {report.MarginCalls} liq {report.Liquidations.Count} rounds {report.CascadeRounds} deepest {report.DeepestCascadeRound} bad debt {report.BadDebt} adl {report.Adl.Count} fund {report.InsuranceFund}");
        foreach (var i in report.Invariants)
        {
            output.WriteLine($"{i.Name}: {i.Passed} {i.Evidence}");
        }

        Assert.True(report.Ticks > 0);
        Assert.True(report.Liquidations.Count > 0, "a 30% crash liquidates someone");
        Assert.All(report.Invariants, i => Assert.True(i.Passed, $"{i.Name}: {i.Evidence}"));
        Assert.Equal(64, report.JournalHash.Length);
    }
}
