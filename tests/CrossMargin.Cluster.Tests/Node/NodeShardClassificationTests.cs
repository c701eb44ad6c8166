using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Engine.Domain;
using CrossMargin.Risk.Model;

namespace CrossMargin.Cluster.Tests.Node;

/// <summary>
/// A node that takes a shard classifies every account of it (each recovers and registers its bands with the node's feed
/// followers, which wake it when a mark leaves them). An account whose recovery fails then — the database restarting as
/// the shard moves, the failure seen in the process-level PostgreSQL restart test (<c>account 35 ends with negative
/// equity … and no waterfall assigned it</c>) — has stopped and registered nothing: no price move wakes it, so a crash
/// never liquidates it. The node must classify it again until it answers.
/// </summary>
[Collection(NodePostgresCollection.Name)]
public sealed class NodeShardClassificationTests(NodePostgresFixture fixture)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_account_whose_recovery_failed_when_its_shard_moved_should_be_classified_again_and_liquidated_in_a_crash()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var a = await cluster.StartNodeAsync("node-a");
        await cluster.AllShardsHostedAsync(a);
        var instrument = cluster.Scenario.Instruments.First(i => i.Spec.Kind == InstrumentKind.LinearPerpetual).Spec;
        await NodeTestCluster.EventuallyAsync(() => a.HostedSingletons.Contains("coordinator") && a.HostedSingletons.Contains("feed-" + instrument.Id), "node-a runs the coordinator and the feed");

        // A leveraged long in a shard node-b will take (the odd ones: it is member 1 of 2), against the market maker.
        var price = cluster.Scenario.InitialPrices.Mark(instrument.Id);
        var mm = cluster.Scenario.MarketMaker.AccountId;
        var oddShards = Enumerable.Range(0, NodeTestCluster.Shards).Where(s => s % 2 == 1).ToList();
        var victim = cluster.AccountsIn(oddShards).First(id => id != mm);
        long commandId = 1000;
        Assert.True((await cluster.Client.RequestAsync<CommandReply>(new Deposit(mm, ++commandId, instrument.SettlementAsset, 50_000_000m), Guid.NewGuid(), ReplyTimeout)).Accepted);
        Assert.True((await cluster.Client.RequestAsync<CommandReply>(new Deposit(victim, ++commandId, instrument.SettlementAsset, 1_000m), Guid.NewGuid(), ReplyTimeout)).Accepted);
        var opened = false;
        foreach (var leverage in new[] { 8m, 4m, 2m })
        {
            var size = Math.Floor(1_000m * leverage / price / instrument.LotSize) * instrument.LotSize;
            var trade = ++commandId;
            if ((await cluster.Client.RequestAsync<CommandReply>(new PlaceTrade(victim, trade, instrument.Id, size, price, mm), Guid.NewGuid(), ReplyTimeout)).Accepted)
            {
                var theirs = await cluster.Client.RequestAsync<CommandReply>(new PlaceTrade(mm, trade, instrument.Id, -size, price, victim), Guid.NewGuid(), ReplyTimeout);
                Assert.True(theirs.Accepted, theirs.Reason);
                opened = true;
                break;
            }
        }

        Assert.True(opened, $"account {victim} could open no leveraged position");

        // The victim's newest snapshot becomes one no serializer reads: its next recovery (on node-b) fails and stops it.
        var pid = "account-" + victim;
        await cluster.ExecAsync(
            "INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot, manifest, serializer_id) VALUES (@p, 1000000, @c, @b, 'no-such-snapshot@v1', 1)",
            ("p", pid), ("c", DateTime.UtcNow.Ticks), ("b", new byte[] { 1, 2, 3 }));
        var sink = new RecordingLogSink();
        var b = await cluster.StartNodeAsync("node-b", sink.Logger());
        await NodeTestCluster.EventuallyAsync(() => b.HostedShards.Contains(ShardMap.ShardOf(victim, NodeTestCluster.Shards)), $"node-b takes the victim's shard");
        await NodeTestCluster.EventuallyAsync(() => sink.RecoveryFailures(pid) > 0, $"the recovery of {pid} fails on node-b");

        // The coordinator stayed on node-a (singleton 0 of 2), so no coordinator start asks every account to report.
        Assert.Contains("coordinator", a.HostedSingletons);

        // The database heals; then the market crashes.
        await cluster.ExecAsync("DELETE FROM snapshot WHERE persistence_id = @p AND sequence_number = 1000000", ("p", pid));
        await cluster.Client.RequestAsync<TickAccepted>(
            new IndexTickMessage(instrument.Id, Engine.Market.UnixTime.ToMicros(cluster.Scenario.StartTime) + 60_000_000, price * 0.7m), Guid.NewGuid(), ReplyTimeout);
        await NodeTestCluster.EventuallyAsync(
            async () => (await cluster.JournalRowsAsync(pid)).Any(r => r.Manifest is "LiquidationFilled@v1" or "WaterfallSettled@v1"),
            $"{pid} is classified again on node-b and liquidated after the crash");
    }
}
