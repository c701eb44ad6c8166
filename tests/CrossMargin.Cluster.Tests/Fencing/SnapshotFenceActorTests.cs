using CrossMargin.Actors;
using CrossMargin.Cluster.Fencing;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Persistence.Actors;
using CrossMargin.Persistence.Configuration;
using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Sql.Fencing;
using CrossMargin.Persistence.Sql.Snapshot;
using Xunit.Abstractions;
using PersistenceExtension = CrossMargin.Persistence.Actors.Persistence;

namespace CrossMargin.Cluster.Tests.Fencing;

/// <summary>A persistent actor whose node lost the lease sees SaveSnapshotFailure (as in Akka) and the old snapshot stays.</summary>
public sealed class SnapshotFenceActorTests(PostgresServerFixture postgres, ITestOutputHelper output)
    : CrossMargin.TestKit.TestKit(output), IClassFixture<PostgresServerFixture>
{
    private const int Shards = 8;
    private const string Account = "account-1";

    [Fact]
    public async Task SaveSnapshot_of_an_actor_whose_node_lost_the_lease_should_answer_SaveSnapshotFailure_and_keep_the_stored_snapshot()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using var store = await ClusterStore.OpenAsync(new ClusterStoreOptions(connection) { ShardCount = Shards });
        var resource = ClusterResources.ResourceOfPersistenceId(Account, Shards)!;
        var a = new LeaseManager(store, "node-a", Guid.NewGuid(), TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        var b = new LeaseManager(store, "node-b", Guid.NewGuid(), TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        await a.TryAcquireAsync(resource);
        await using SqlSnapshotStore snapshots = await SnapshotFenceTests.OpenSnapshotsAsync(connection, new EpochFence(a.Held, Shards));
        PersistenceExtension.Configure(Sys, new InMemoryJournal(JournalKit.Serializer()), snapshots, new PersistenceSettings());
        var actor = Sys.ActorOf(Props.Create(() => new SnapshottingActor(Account, TestActor)));
        ExpectMsg<string>("recovered");

        actor.Tell("owner");
        Assert.Equal(Account, ExpectMsg<SaveSnapshotSuccess>().Metadata.PersistenceId);

        await LeaseProbe.ExpireNowAsync(store, resource);
        await b.TryAcquireAsync(resource);
        actor.Tell("stale");
        var failure = ExpectMsg<SaveSnapshotFailure>();

        var fenced = Assert.IsType<WriteFencedException>(failure.Cause);
        Assert.Equal((Account, resource), (fenced.PersistenceId, fenced.Resource));
        Assert.Equal((0L, "owner"), await SnapshotFenceTests.LatestAsync(snapshots, Account));
        actor.Tell("alive?");
        ExpectMsg<string>("alive");
    }

    /// <summary>Snapshots the text of every string command (at sequence number 0: it persists no events) and reports the outcome.</summary>
    private sealed class SnapshottingActor : ReceivePersistentActor
    {
        private readonly IActorRef _monitor;

        public SnapshottingActor(string persistenceId, IActorRef monitor)
        {
            PersistenceId = persistenceId;
            _monitor = monitor;
            Recover<RecoveryCompleted>(_ => _monitor.Tell("recovered"));
            Command<string>(text =>
            {
                if (text == "alive?")
                {
                    _monitor.Tell("alive");
                    return;
                }

                SaveSnapshot(new Noted(text));
            });
            Command<SaveSnapshotSuccess>(s => _monitor.Tell(s));
            Command<SaveSnapshotFailure>(f => _monitor.Tell(f));
        }

        public override string PersistenceId { get; }
    }
}
