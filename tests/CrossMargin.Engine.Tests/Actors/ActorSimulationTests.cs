using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Simulation;
using CrossMargin.Engine.Tests.Simulation;
using CrossMargin.Hocon;
using Xunit;

namespace CrossMargin.Engine.Tests.Actors;

/// <summary><c>simulate --engine actors</c> through <see cref="SimulationRunner"/> (the request path the CLI uses).</summary>
public sealed class ActorSimulationTests
{
    private static SimulationRequest Request(EngineKind engine) => new()
    {
        Scenario = SimulationFixtures.ScenarioFile("crash"),
        Accounts = 80,
        Seed = 3,
        Journal = JournalTarget.InMemory,
        RunId = "actors-" + engine,
        Engine = engine,
    };

    [Fact]
    public async Task Simulate_with_the_actor_engine_should_report_the_same_figures_as_the_direct_engine()
    {
        var direct = await new SimulationRunner(ConfigurationFactory.Default()).RunAsync(Request(EngineKind.Direct), new Progress<SimulationProgress>(), CancellationToken.None);
        var actors = await new SimulationRunner(ConfigurationFactory.Default()).RunAsync(Request(EngineKind.Actors), new Progress<SimulationProgress>(), CancellationToken.None);

        Assert.True(direct.Liquidations.Count > 0, "the run should liquidate someone");
        Assert.Equal(direct.Ticks, actors.Ticks);
        Assert.Equal(direct.Events, actors.Events);
        Assert.Equal(direct.MarginCalls, actors.MarginCalls);
        Assert.Equal(direct.Liquidations, actors.Liquidations);
        Assert.Equal(direct.CascadeRounds, actors.CascadeRounds);
        Assert.Equal(direct.InsuranceFund, actors.InsuranceFund);
        Assert.Equal(direct.BadDebt, actors.BadDebt);
        Assert.Equal(direct.AccountFates, actors.AccountFates);
        Assert.All(actors.Invariants, i => Assert.True(i.Passed, i.Name + ": " + i.Evidence));
    }
}
