using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Simulation;
using CrossMargin.Engine.Tests.Simulation;
using CrossMargin.Hocon;
using Xunit;

namespace CrossMargin.Engine.Tests.Actors;

/// <summary>The end-of-run invariants on the actor engine: the same four checks, names and evidence as the direct engine.</summary>
public sealed class ActorInvariantTests
{
    private static readonly string[] FourInvariants = ["money-conservation", "open-interest-balance", "no-unassigned-loss", "contiguous-sequence-numbers"];

    private static SimulationRequest Request(EngineKind engine) => new()
    {
        Scenario = SimulationFixtures.ScenarioFile("crash"),
        Accounts = 60,
        Seed = 5,
        Journal = JournalTarget.InMemory,
        RunId = "invariants-" + engine,
        Engine = engine,
    };

    [Fact]
    public async Task Actor_run_of_a_crash_should_report_all_four_invariants_held_with_the_direct_engines_names_and_evidence()
    {
        var direct = await new SimulationRunner(ConfigurationFactory.Default()).RunAsync(Request(EngineKind.Direct), new Progress<SimulationProgress>(), CancellationToken.None);
        var actors = await new SimulationRunner(ConfigurationFactory.Default()).RunAsync(Request(EngineKind.Actors), new Progress<SimulationProgress>(), CancellationToken.None);

        Assert.True(actors.Liquidations.Count > 0, "the crash should liquidate someone, or the money check proves little");
        Assert.Equal(FourInvariants, actors.Invariants.Select(i => i.Name));
        Assert.Equal(FourInvariants, direct.Invariants.Select(i => i.Name));
        Assert.All(actors.Invariants, i => Assert.True(i.Passed, i.Name + ": " + i.Evidence));
        Assert.True(actors.InvariantsHeld);

        // The state-based checks see identical end states, so their evidence is identical too.
        Assert.Equal(direct.Invariants.Take(3).Select(i => i.Evidence), actors.Invariants.Take(3).Select(i => i.Evidence));
    }

    [Fact]
    public void Invariants_over_a_tampered_actor_state_should_report_the_money_and_open_interest_violations_with_evidence()
    {
        var scenario = SimulationFixtures.Load("crash", 60, 5);
        var (engine, _, _, _) = ActorEngineFixtures.Create(scenario);
        using (engine)
        {
            ActorEngineFixtures.RunAll(engine, scenario);
            var accounts = engine.Accounts();
            var view = engine.CoordinatorView();
            var asset = scenario.Coordinator.InsuranceFundAsset;
            var metrics = engine.Metrics.Metrics;

            var honest = Invariants.Check(engine.Model, engine.Prices, accounts, view, asset, metrics);
            Assert.All(honest, i => Assert.True(i.Passed, i.Name + ": " + i.Evidence));

            // One account's settlement balance gains 7 out of nowhere: money is no longer conserved.
            var victim = accounts.First(a => a.Id != EngineIds.MarketMaker);
            var richer = accounts.Select(a => a.Id == victim.Id ? a with { Account = a.Account.WithBalance(asset, a.Account.Balance(asset) + 7m) } : a).ToList();
            var money = Invariants.Check(engine.Model, engine.Prices, richer, view, asset, metrics);
            Assert.Equal(["money-conservation", "open-interest-balance", "no-unassigned-loss"], money.Select(i => i.Name));
            Assert.False(money[0].Passed);
            Assert.StartsWith($"{asset}: held ", money[0].Evidence, StringComparison.Ordinal);
            Assert.Contains("(difference 7", money[0].Evidence, StringComparison.Ordinal);
            Assert.True(money[1].Passed, money[1].Evidence);

            // A fund that lost 5 the coordinator cannot account for is a violation too.
            var poorer = Invariants.Money(engine.Model, engine.Prices, accounts, view with { InsuranceFund = view.InsuranceFund - 5m }, asset, metrics);
            Assert.False(poorer.Passed);
            Assert.Contains("(difference -5", poorer.Evidence, StringComparison.Ordinal);

            // Dropping the market maker's positions leaves the other side of every trade unmatched.
            var withoutMaker = accounts.Where(a => a.Id != EngineIds.MarketMaker).ToList();
            var oi = Invariants.OpenInterest(engine.Model, withoutMaker);
            Assert.False(oi.Passed);
            Assert.Contains(" ≠ short ", oi.Evidence, StringComparison.Ordinal);
        }
    }
}
