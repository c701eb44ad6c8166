using CrossMargin.Cluster.Messaging;

namespace CrossMargin.Cluster.Tests.Node;

[Collection(NodePostgresCollection.Name)]
public sealed class NodeFeedTests(NodePostgresFixture fixture)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_tick_through_the_feed_singletons_inbox_is_journaled_once_and_every_node_follows_the_mark()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var a = await cluster.StartNodeAsync("node-a");
        var b = await cluster.StartNodeAsync("node-b");
        var symbol = cluster.Scenario.Instruments[0].Id;
        await NodeTestCluster.EventuallyAsync(() => a.HostedSingletons.Concat(b.HostedSingletons).Contains("feed-" + symbol), $"a node runs the feed-{symbol} singleton");
        var price = cluster.Scenario.InitialPrices.Mark(symbol) * 0.9m;
        var time = Engine.Market.UnixTime.ToMicros(cluster.Scenario.StartTime) + 1_000_000;
        var tick = Guid.NewGuid();

        var accepted = await cluster.Client.RequestAsync<TickAccepted>(new IndexTickMessage(symbol, time, price), tick, ReplyTimeout);
        await cluster.ExecAsync("DELETE FROM cm_cluster_replies WHERE command_id = @c", ("c", tick));
        await cluster.ExecAsync("UPDATE cm_cluster_inbox SET done_at = NULL WHERE command_id = @c", ("c", tick));

        // The feed's owner goes away; the other node resumes the feed from its journal (receipts included) and gets the redelivery.
        var (owner, other) = a.HostedSingletons.Contains("feed-" + symbol) ? (a, b) : (b, a);
        await owner.StopAsync();
        await NodeTestCluster.EventuallyAsync(() => other.HostedSingletons.Contains("feed-" + symbol), $"{other.Name} takes over feed-{symbol}");
        var redelivered = await cluster.Client.RequestAsync<TickAccepted>(new IndexTickMessage(symbol, time, price), tick, ReplyTimeout);

        Assert.Equal(price, accepted.Index);
        Assert.Equal(accepted.Mark, owner.Prices.Mark(symbol)); // the singleton published it on its own node before replying
        Assert.Equal(accepted.Mark, redelivered.Mark);
        await NodeTestCluster.EventuallyAsync(() => other.Prices.Mark(symbol) == accepted.Mark, "the surviving node folds the journaled tick into its prices");
        var rows = await cluster.JournalRowsAsync("feed-" + symbol);
        Assert.Equal(1, rows.Count(r => r.Manifest == "IndexTickReceived@v1"));
    }
}
