using CrossMargin.Cluster.Messaging;
using CrossMargin.Engine.Domain;
using CrossMargin.Risk.Model;

namespace CrossMargin.Cluster.Tests.Node;

[Collection(NodePostgresCollection.Name)]
public sealed class NodeCascadeTests(NodePostgresFixture fixture)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_crash_tick_liquidates_accounts_on_both_nodes_through_the_coordinator_singleton_and_open_interest_stays_balanced()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var a = await cluster.StartNodeAsync("node-a");
        var b = await cluster.StartNodeAsync("node-b");
        await NodeTestCluster.EventuallyAsync(() => a.HostedShards.Count + b.HostedShards.Count == NodeTestCluster.Shards && a.HostedShards.Count > 0 && b.HostedShards.Count > 0, "both nodes host shards");
        var instrument = cluster.Scenario.Instruments.First(i => i.Spec.Kind == InstrumentKind.LinearPerpetual).Spec;
        await NodeTestCluster.EventuallyAsync(() => a.HostedSingletons.Concat(b.HostedSingletons).Contains("coordinator") && a.HostedSingletons.Concat(b.HostedSingletons).Contains("feed-" + instrument.Id), "the coordinator and the feed run");
        var price = cluster.Scenario.InitialPrices.Mark(instrument.Id);
        var mm = cluster.Scenario.MarketMaker.AccountId;
        var traders = cluster.Scenario.Population.Accounts.Select(x => x.AccountId).Where(id => id != mm).Order().Take(6).ToList();
        long commandId = 1000;
        Assert.True((await cluster.Client.RequestAsync<CommandReply>(new Deposit(mm, ++commandId, instrument.SettlementAsset, 50_000_000m), Guid.NewGuid(), ReplyTimeout)).Accepted);
        var opened = new List<long>();
        foreach (var id in traders)
        {
            Assert.True((await cluster.Client.RequestAsync<CommandReply>(new Deposit(id, ++commandId, instrument.SettlementAsset, 1_000m), Guid.NewGuid(), ReplyTimeout)).Accepted);
            foreach (var leverage in new[] { 8m, 4m, 2m })
            {
                var size = Math.Floor(1_000m * leverage / price / instrument.LotSize) * instrument.LotSize;
                var id2 = ++commandId;
                var mine = await cluster.Client.RequestAsync<CommandReply>(new PlaceTrade(id, id2, instrument.Id, size, price, mm), Guid.NewGuid(), ReplyTimeout);
                if (mine.Accepted)
                {
                    var theirs = await cluster.Client.RequestAsync<CommandReply>(new PlaceTrade(mm, id2, instrument.Id, -size, price, id), Guid.NewGuid(), ReplyTimeout);
                    Assert.True(theirs.Accepted, theirs.Reason);
                    opened.Add(id);
                    break;
                }
            }
        }

        Assert.NotEmpty(opened);
        var crash = await cluster.Client.RequestAsync<TickAccepted>(
            new IndexTickMessage(instrument.Id, Engine.Market.UnixTime.ToMicros(cluster.Scenario.StartTime) + 60_000_000, price * 0.8m), Guid.NewGuid(), ReplyTimeout);

        await NodeTestCluster.EventuallyAsync(
            async () =>
            {
                foreach (var id in opened)
                {
                    if ((await cluster.JournalRowsAsync("account-" + id)).Any(r => r.Manifest is "LiquidationFilled@v1" or "WaterfallSettled@v1"))
                    {
                        return true;
                    }
                }

                return false;
            },
            "an account is liquidated after the crash tick");
        await NodeTestCluster.EventuallyAsync(
            async () =>
            {
                decimal net = 0m;
                foreach (var id in opened.Append(mm))
                {
                    var view = await cluster.Client.RequestAsync<AccountView>(new GetAccountMessage(id), Guid.NewGuid(), ReplyTimeout);
                    net += view.Positions.Where(p => p.InstrumentId == instrument.Id).Sum(p => p.Size);
                }

                return net == 0m;
            },
            "long open interest equals short open interest");
        Assert.True(crash.Mark < price);
    }
}
