using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Tests.Simulation;
using Xunit;

namespace CrossMargin.Engine.Tests.Actors;

/// <summary>
/// The actor engine against the direct engine (<c>EngineHost</c>) on a small crash: same account end states, same
/// figures, same events per persistence id. The journals' interleaving of different persistence ids differs (writes
/// complete on the journal's threads), so the comparison is per persistence id, not the whole-journal hash.
/// </summary>
public sealed class ActorEngineDifferentialTests
{
    private const int Accounts = 300;
    private const ulong Seed = 3;

    [Fact]
    public void Actor_engine_should_end_with_the_same_accounts_figures_and_per_account_events_as_the_direct_engine()
    {
        var direct = SimulationFixtures.Run(SimulationFixtures.Load("crash", Accounts, Seed));
        var host = direct.Runner.LastHost!;
        var scenario = SimulationFixtures.Load("crash", Accounts, Seed);
        var (engine, journal, _, serializer) = ActorEngineFixtures.Create(scenario);
        using (engine)
        {
            ActorEngineFixtures.RunAll(engine, scenario);

            Assert.True(host.Metrics.Liquidations > 0, "the scenario should liquidate someone, or the comparison proves little");
            var hostAccounts = host.Accounts().ToList();
            var actorAccounts = engine.Accounts();
            Assert.Equal(hostAccounts.Count, actorAccounts.Count);
            for (var i = 0; i < hostAccounts.Count; i++)
            {
                var a = AccountSnapshot.Of(hostAccounts[i]);
                var b = AccountSnapshot.Of(actorAccounts[i]);
                Assert.Equal(a.Id, b.Id);
                Assert.Equal(a.State, b.State);
                Assert.Equal(a.Balances, b.Balances);
                Assert.Equal(a.Positions, b.Positions);
            }

            var m = engine.Metrics.Metrics;
            Assert.Equal(host.Metrics.Ticks, m.Ticks);
            Assert.Equal(host.Metrics.MarginCalls, m.MarginCalls);
            Assert.Equal(host.Metrics.Liquidations, m.Liquidations);
            Assert.Equal(host.Metrics.LiquidationNotional, m.LiquidationNotional);
            Assert.Equal(host.Metrics.BadDebt, m.BadDebt);
            Assert.Equal(host.Metrics.AdlCount, m.AdlCount);
            Assert.Equal(host.Metrics.Socialized, m.Socialized);
            Assert.Equal(host.Metrics.Rounds, m.Rounds);
            Assert.Equal(host.Metrics.DeepestRound, m.DeepestRound);
            Assert.Equal(host.Metrics.RefusedCommands, m.RefusedCommands);
            var view = engine.CoordinatorView();
            Assert.Equal(host.Coordinator.InsuranceFund, view.InsuranceFund);
            Assert.Equal(host.Coordinator.FeePool, view.FeePool);
            Assert.Equal(host.Metrics.Fates.OrderBy(kv => kv.Key), m.Fates.OrderBy(kv => kv.Key));

            var expected = ActorEngineFixtures.EventsByPersistenceId(direct.Journal, serializer, EngineIds.Run);
            var actual = ActorEngineFixtures.EventsByPersistenceId(journal, serializer);
            Assert.Equal(expected.Keys, actual.Keys);
            foreach (var (pid, events) in expected)
            {
                Assert.True(events.SequenceEqual(actual[pid]), $"{pid}: events differ (direct {events.Count}, actors {actual[pid].Count}); first difference at {events.Zip(actual[pid]).TakeWhile(p => p.First == p.Second).Count()}");
            }
        }
    }

    [Fact]
    public void Two_actor_runs_of_the_same_scenario_should_journal_the_same_events_per_persistence_id()
    {
        string Run()
        {
            var scenario = SimulationFixtures.Load("crash", 120, Seed);
            var (engine, journal, _, serializer) = ActorEngineFixtures.Create(scenario, new ActorEngineOptions { SnapshotEvery = 3 });
            using (engine)
            {
                ActorEngineFixtures.RunAll(engine, scenario);
                return ActorEngineFixtures.Digest(ActorEngineFixtures.EventsByPersistenceId(journal, serializer));
            }
        }

        Assert.Equal(Run(), Run());
    }
}
