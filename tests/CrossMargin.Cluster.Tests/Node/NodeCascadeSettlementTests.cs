using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Node;
using CrossMargin.Cluster.Operations.Audit;
using CrossMargin.Cluster.Operations.LoadGen;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Risk.States;

namespace CrossMargin.Cluster.Tests.Node;

/// <summary>
/// A falling market on two nodes, driven through the inboxes by the load generator: the coordinator singleton must settle
/// every bankruptcy through the waterfall exactly once, wherever the bankrupt account, the market maker and the
/// coordinator live, with money conserved and long = short open interest (the journal audit of <c>cluster loadgen --verify</c>).
/// </summary>
[Collection(NodePostgresCollection.Name)]
public sealed class NodeCascadeSettlementTests(NodePostgresFixture fixture)
{
    [Fact]
    public async Task A_falling_market_across_two_nodes_settles_every_bankruptcy_once_through_the_waterfall_with_money_conserved()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var a = await cluster.StartNodeAsync("node-a");
        var b = await cluster.StartNodeAsync("node-b");
        await NodeTestCluster.EventuallyAsync(
            () =>
            {
                var hosted = a.HostedShards.Concat(b.HostedShards).ToList();
                var singletons = a.HostedSingletons.Concat(b.HostedSingletons).ToList();
                return hosted.Count == NodeTestCluster.Shards && hosted.Distinct().Count() == NodeTestCluster.Shards
                    && a.HostedShards.Count > 0 && b.HostedShards.Count > 0
                    && singletons.Contains(ClusterResources.CoordinatorName)
                    && cluster.Scenario.FeedSymbols.All(s => singletons.Contains(ClusterResources.FeedName(s)));
            },
            "both nodes host shards and the coordinator and every feed run");

        // -30 % over four seconds of ticks: leveraged accounts go bankrupt while deposits keep arriving.
        var load = await RunLoadAsync(cluster, new LoadGenOptions
        {
            Accounts = cluster.Scenario.Population.Accounts.Count,
            Duration = TimeSpan.FromSeconds(4),
            TickRate = 10,
            CommandsPerTick = 3,
            Drop = 0.3m,
            ReplyTimeout = TimeSpan.FromSeconds(60),
        });
        Assert.Equal(0L, load.Unanswered);
        Assert.Equal(0L, load.Refused);

        // The cascade runs on after the last reply: wait until every inbox is drained and the audit holds.
        ClusterJournalAudit.Result? audit = null;
        long pending = -1;
        try
        {
            await NodeTestCluster.EventuallyAsync(
                async () =>
                {
                    pending = await cluster.CountAsync("SELECT count(*) FROM cm_cluster_inbox WHERE done_at IS NULL");
                    if (pending > 0)
                    {
                        return false;
                    }

                    audit = await ClusterJournalAudit.RunAsync(cluster.Connection, cluster.Scenario, load.Acknowledged, CancellationToken.None);
                    return audit.AllHeld;
                },
                "the inboxes are drained and the journal audit holds");
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}; {pending} inbox message(s) pending; last audit:\n{audit?.Describe()}");
        }

        Assert.True(audit!.AllHeld, audit.Describe());
        Assert.True(audit.Check("no-unassigned-loss").Passed, audit.Describe());

        var journal = await ReadJournalAsync(cluster.Connection);
        var resolved = journal.Where(e => e.Event is BankruptcyResolved).Select(e => (BankruptcyResolved)e.Event).ToList();
        Assert.NotEmpty(resolved);

        // Once per bankrupt account (or isolated position): a report sent before the settlement landed must not bring
        // the settled positions back into the coordinator's queue.
        var twice = resolved.GroupBy(r => (r.AccountId, r.Instrument)).Where(g => g.Count() > 1).Select(g => $"account {g.Key.AccountId} {g.Key.Instrument} ×{g.Count()}").ToList();
        Assert.True(twice.Count == 0, "resolved more than once: " + string.Join(", ", twice));

        // Each resolution reached its account as exactly one bankrupt settlement of the same round.
        foreach (var r in resolved)
        {
            var settlements = journal.Count(e => e.PersistenceId == "account-" + r.AccountId && e.Event is WaterfallSettled { Role: "bankrupt" } w && w.Round == r.Round);
            Assert.True(settlements == 1, $"account {r.AccountId} round {r.Round}: {settlements} bankrupt settlements journaled");
        }

        // Every account that went bankrupt was settled through the waterfall.
        var wentBankrupt = journal.Where(e => e.Event is RiskStateChanged { To: RiskState.Bankrupt }).Select(e => e.PersistenceId).Distinct().ToList();
        Assert.NotEmpty(wentBankrupt);
        foreach (var pid in wentBankrupt)
        {
            Assert.True(journal.Any(e => e.PersistenceId == pid && e.Event is WaterfallSettled { Role: "bankrupt" }), $"{pid} went bankrupt and was never settled");
        }

        // The settlements crossed nodes: the accounts they touched (bankrupt ones and the market maker) live on both.
        var touched = resolved.Select(r => r.AccountId).Append(cluster.Scenario.MarketMaker.AccountId)
            .Select(id => ShardMap.ShardOf(id, NodeTestCluster.Shards)).ToHashSet();
        Assert.True(touched.Overlaps(a.HostedShards) && touched.Overlaps(b.HostedShards),
            $"settled accounts' shards {string.Join(",", touched.Order())}; node-a hosts {string.Join(",", a.HostedShards)}, node-b {string.Join(",", b.HostedShards)}");
    }

    [Fact]
    public async Task A_settlement_that_a_deposit_crossed_should_keep_the_deposit_and_apply_the_waterfalls_change_once()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var node = await cluster.StartNodeAsync("node-a");
        await cluster.AllShardsHostedAsync(node);
        var id = cluster.Scenario.Population.Accounts.Select(x => x.AccountId).First(x => x != cluster.Scenario.MarketMaker.AccountId);
        var asset = cluster.Asset;
        Assert.True((await cluster.Client.RequestAsync<CommandReply>(new Deposit(id, 9001, asset, 1_000m), Guid.NewGuid(), Patience)).Accepted);
        var before = await cluster.Client.RequestAsync<AccountView>(new GetAccountMessage(id), Guid.NewGuid(), Patience);

        // The coordinator settled from `before` (taking 100); a deposit of 5 reached the account first.
        var after = new WaterfallSettled(7, "payer", before.Balances.Select(b => b.Asset == asset ? b with { Amount = b.Amount - 100m } : b).ToArray(), before.Positions);
        Assert.True((await cluster.Client.RequestAsync<CommandReply>(new Deposit(id, 9002, asset, 5m), Guid.NewGuid(), Patience)).Accepted);
        var settlement = new WaterfallSettledMessage(id, after, new AccountHoldings(before.Balances, before.Positions));
        var delivery = Guid.NewGuid();

        var first = await cluster.Client.RequestAsync<EventAppliedReply>(settlement, delivery, Patience);
        var again = await cluster.Client.RequestAsync<EventAppliedReply>(settlement, delivery, Patience);
        var view = await cluster.Client.RequestAsync<AccountView>(new GetAccountMessage(id), Guid.NewGuid(), Patience);

        Assert.False(first.Duplicate);
        Assert.Equal(1_000m - 100m + 5m, view.Balances.Single(b => b.Asset == asset).Amount);
        var journaled = (await ReadJournalAsync(cluster.Connection)).Where(e => e.PersistenceId == "account-" + id && e.Event is WaterfallSettled).ToList();
        Assert.Single(journaled);
        Assert.Equal(905m, ((WaterfallSettled)journaled[0].Event).Balances.Single(b => b.Asset == asset).Amount);
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<LoadGenResult> RunLoadAsync(NodeTestCluster cluster, LoadGenOptions options)
    {
        await using var store = await ClusterStore.OpenAsync(new ClusterStoreOptions(cluster.Connection) { ShardCount = NodeTestCluster.Shards });
        await using var inbox = new ClusterInbox(store, TimeSpan.FromMilliseconds(100));
        return await new ClusterLoadGenerator(inbox, NodeTestCluster.Shards, cluster.Scenario, options).RunAsync(null, CancellationToken.None);
    }

    private static async Task<IReadOnlyList<(string PersistenceId, object Event)>> ReadJournalAsync(string connection)
    {
        await using var journal = await SqlJournal.OpenAsync(new SqlJournalOptions(SqlBackend.Postgres, connection), NodeSerialization.Create(), CancellationToken.None);
        var events = new List<(string, object)>();
        await foreach (var e in journal.CurrentAllEvents(0, CancellationToken.None))
        {
            events.Add((e.PersistenceId, e.Event));
        }

        return events;
    }
}
