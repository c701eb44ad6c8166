using CrossMargin.Actors;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Tests.Simulation;
using CrossMargin.Persistence.Snapshot;
using Xunit;

namespace CrossMargin.Engine.Tests.Actors;

/// <summary>The account actor and its region, on a tiny seeded population.</summary>
public sealed class AccountActorTests
{
    private static T Ask<T>(ActorEngine engine, object message)
    {
        var task = engine.Region.Ask<T>(message, TimeSpan.FromDays(1));
        engine.Settle();
        return task.Result;
    }

    [Fact]
    public void Account_actor_should_reply_accepted_to_a_valid_deposit_and_refused_with_the_reason_otherwise()
    {
        var scenario = SimulationFixtures.Load("crash", 10, 3);
        var (engine, _, _, _) = ActorEngineFixtures.Create(scenario);
        using (engine)
        {
            engine.Seed();
            var id = engine.AccountIds[1];
            var asset = scenario.Assets[0].Id;
            var before = engine.Accounts()[1].Account.Balance(asset);

            var ok = Ask<CommandReply>(engine, new AccountCommandEnvelope(new Deposit(id, 9001, asset, 5m)));
            Assert.True(ok.Accepted, ok.Reason);
            Assert.Equal(9001, ok.CommandId);
            Assert.Equal(before + 5m, engine.Accounts()[1].Account.Balance(asset));

            var bad = Ask<CommandReply>(engine, new AccountCommandEnvelope(new Withdraw(id, 9002, asset, before + 1_000_000m)));
            Assert.False(bad.Accepted);
            Assert.False(string.IsNullOrWhiteSpace(bad.Reason));
            Assert.Equal(before + 5m, engine.Accounts()[1].Account.Balance(asset)); // a refusal persists nothing

            var unknown = Ask<CommandReply>(engine, new AccountCommandEnvelope(new Deposit(987_654, 9003, asset, 5m)));
            Assert.False(unknown.Accepted);
            Assert.Equal("unknown account 987654", unknown.Reason);
        }
    }

    [Fact]
    public void Region_should_route_the_same_account_id_to_the_same_actor_in_its_shard()
    {
        var scenario = SimulationFixtures.Load("crash", 10, 3);
        var (engine, _, _, _) = ActorEngineFixtures.Create(scenario, new ActorEngineOptions { Shards = 4 });
        using (engine)
        {
            var a = engine.AccountIds[2];
            var b = engine.AccountIds[3];
            var first = Ask<IActorRef>(engine, new WhereIs(a));
            var again = Ask<IActorRef>(engine, new WhereIs(a));
            var other = Ask<IActorRef>(engine, new WhereIs(b));
            Assert.Same(first, again);
            Assert.NotEqual(first.Path.ToString(), other.Path.ToString());
            Assert.Contains("/shard-" + AccountRegion.ShardOf(a, 4) + "/", first.Path.ToString(), StringComparison.Ordinal);
            Assert.Equal(3, AccountRegion.ShardOf(-1, 4));
            Assert.Equal(1, AccountRegion.ShardOf(37, 4));
        }
    }

    [Fact]
    public async Task Passivated_account_should_snapshot_stop_and_recover_its_state_on_the_next_message()
    {
        var scenario = SimulationFixtures.Load("crash", 10, 3);
        var (engine, _, snapshots, _) = ActorEngineFixtures.Create(scenario, new ActorEngineOptions { PassivateAfter = TimeSpan.FromMinutes(1) });
        using (engine)
        {
            engine.Seed();
            var id = engine.AccountIds[1];
            var before = AccountSnapshot.Of(engine.Accounts()[1]);
            var incarnation = Ask<IActorRef>(engine, new WhereIs(id));

            engine.System.RunFor(TimeSpan.FromMinutes(2)); // virtual time: every account goes idle and passivates
            engine.Settle();

            var stored = await snapshots.LoadAsync(EngineIds.Account(id), SnapshotSelectionCriteria.Latest);
            Assert.NotNull(stored);
            var after = AccountSnapshot.Of(Ask<EngineAccount>(engine, new GetAccountState(id)));
            Assert.NotSame(incarnation, Ask<IActorRef>(engine, new WhereIs(id)));
            Assert.Equal(before.Balances, after.Balances);
            Assert.Equal(before.Positions, after.Positions);
            Assert.Equal(before.State, after.State);
        }
    }

    [Fact]
    public void A_new_engine_over_the_same_journal_should_recover_every_account_from_snapshots_and_events()
    {
        var scenario = SimulationFixtures.Load("crash", 30, 3);
        var (first, journal, snapshots, _) = ActorEngineFixtures.Create(scenario, new ActorEngineOptions { SnapshotEvery = 2 });
        List<AccountSnapshot> expected;
        using (first)
        {
            ActorEngineFixtures.RunAll(first, scenario);
            expected = first.Accounts().Select(AccountSnapshot.Of).ToList();
        }

        Assert.Contains(expected, s => s.Positions.Count > 0);
        var (second, _, _, _) = ActorEngineFixtures.Create(SimulationFixtures.Load("crash", 30, 3), journal: journal, snapshots: snapshots);
        using (second)
        {
            var recovered = second.Accounts().Select(AccountSnapshot.Of).ToList();
            Assert.Equal(expected.Count, recovered.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].State, recovered[i].State);
                Assert.Equal(expected[i].Balances, recovered[i].Balances);
                Assert.Equal(expected[i].Positions, recovered[i].Positions);
            }
        }
    }
}
