using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Node;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Persistence.Sql.Postgres;
using Xunit.Abstractions;

namespace CrossMargin.Cluster.Tests.Failover;

/// <summary>
/// A node in this process against its own throw-away PostgreSQL, which the test stops long enough for the node to lose
/// its leases and then starts again: the node must take its shards and singletons back and answer commands and ticks,
/// within a bound well under the command timeout. Before the fix, every pooled connection (and idle journal read
/// session) still pointed at the dead server, so the first recoveries after the restart failed; a price feed actor
/// that failed its recovery stayed stopped while its node kept renewing the feed's lease, and every later tick for it
/// went unanswered (the stall of the process-level restart test). The coordinator must come back too and consume its
/// inbox: its start read the journal on a broken read session and failed, leaving the node renewing a lease with no
/// coordinator under it (the later flake of the process-level test). The journal-level test pins the other half: a
/// replay on a read session the restart broke is retried on a fresh one instead of failing the recovery.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class PostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Shards = 4;

    /// <summary>Generous, but well under the 30 s the node waits for an actor before redelivering a message.</summary>
    private static readonly TimeSpan ReplyBound = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private LocalPostgresServer? _server;

    public async Task InitializeAsync() => _server = await LocalPostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_should_answer_ticks_and_commands_again_after_postgres_was_down_past_its_leases()
    {
        var server = _server!;
        var connection = await server.CreateDatabaseAsync("restart");
        var scenario = ScenarioLoader.Load(new ScenarioOverrides { Scenario = "crash", Accounts = 8, Seed = 7 });
        var settings = TestNode.FastSettings(connection, "node-r", Shards);
        await using var node = await EngineNode.StartAsync(new NodeOptions(settings, scenario) { JournalRefreshInterval = TimeSpan.FromMilliseconds(50) });
        await using var store = await ClusterStore.OpenAsync(new ClusterStoreOptions(connection) { ShardCount = Shards });
        await using var inbox = new ClusterInbox(store, TimeSpan.FromMilliseconds(100));
        var client = new ClusterClient(inbox, Shards);
        var feeds = scenario.FeedSymbols.ToList();
        await EventuallyAsync(() => node.HostedShards.Count == Shards && feeds.All(f => node.HostedSingletons.Contains("feed-" + f)) && node.HostedSingletons.Contains("coordinator"), "the node hosts every shard, feed and the coordinator");

        // Warm every pool: each feed recovers and journals a tick, an account of every shard recovers and journals a deposit.
        var time = Engine.Market.UnixTime.ToMicros(scenario.StartTime);
        foreach (var symbol in feeds)
        {
            await client.RequestAsync<TickAccepted>(new IndexTickMessage(symbol, ++time, InitialIndex(scenario, symbol)), Guid.NewGuid(), ReplyBound);
        }

        var accounts = AccountPerShard(scenario);
        foreach (var (account, n) in accounts.Select((a, n) => (a, n)))
        {
            Assert.True((await client.RequestAsync<CommandReply>(Deposit(scenario, account, 1_000 + n), Guid.NewGuid(), ReplyBound)).Accepted);
        }

        // The accounts reported the deposits to the coordinator, which consumed its inbox.
        await EventuallyAsync(async () => await PendingForCoordinatorAsync(connection) == 0 && await CompletedForCoordinatorAsync(connection, 0) > 0, "the coordinator consumed the accounts' first reports");
        var lastBefore = await LastCoordinatorMessageAsync(connection);

        // Down past the lease: the node's deadlines pass, it stops its shards and feeds (nothing reaches the database).
        await server.StopAsync();
        await EventuallyAsync(() => node.HostedShards.Count == 0 && node.HostedSingletons.Count == 0, "the node stops everything whose lease ran out");
        await server.StartAgainAsync();
        output.WriteLine("PostgreSQL started again");
        await EventuallyAsync(() => node.HostedShards.Count == Shards && feeds.All(f => node.HostedSingletons.Contains("feed-" + f)) && node.HostedSingletons.Contains("coordinator"), "the node takes every shard, feed and the coordinator back");

        // Every feed and every shard answers again: their actors recovered on connections to the new server.
        var ticks = feeds.Select(symbol => client.RequestAsync<TickAccepted>(new IndexTickMessage(symbol, ++time, InitialIndex(scenario, symbol)), Guid.NewGuid(), ReplyBound)).ToList();
        var deposits = accounts.Select((account, n) => client.RequestAsync<CommandReply>(Deposit(scenario, account, 2_000 + n), Guid.NewGuid(), ReplyBound)).ToList();
        var answered = await Task.WhenAll(ticks);
        var replies = await Task.WhenAll(deposits);

        Assert.Equal(feeds, answered.Select(t => t.Symbol));
        Assert.All(replies, r => Assert.True(r.Accepted, r.Reason));

        // The coordinator runs again and consumes its inbox: the reports of the accounts that took a deposit are completed,
        // none stays pending. (Before the fix its start read the journal on a read session the restart had broken, the
        // start failed, and the node kept renewing the coordinator's lease with nothing running under it: no liquidation
        // anywhere in the cluster, and a coordinator inbox that only grew.)
        await EventuallyAsync(async () => await PendingForCoordinatorAsync(connection) == 0 && await CompletedForCoordinatorAsync(connection, lastBefore) > 0, "the coordinator consumes its inbox again");
    }

    [Fact]
    public async Task A_replay_after_postgres_restarted_should_succeed_on_a_fresh_read_session()
    {
        var server = _server!;
        var connection = await server.CreateDatabaseAsync("replay");
        await using var journal = await JournalKit.OpenAsync(connection, fence: null);
        var streams = Enumerable.Range(1, 4).Select(i => $"stream-{i}").ToList();
        foreach (var pid in streams)
        {
            Assert.All(await journal.WriteMessagesAsync([JournalKit.Event(pid, 1, "a"), JournalKit.Event(pid, 2, "b")]), r => Assert.Null(r.Error));
        }

        // Concurrent replays leave several idle read sessions in the journal's pool, each on a connection to this server.
        await Task.WhenAll(streams.Select(pid => journal.ReplayAndReadHighestAsync(pid, 1, long.MaxValue, long.MaxValue, _ => { })));
        await server.RestartAsync();

        // Every one of those sessions is dead now; each replay (an actor's recovery) must still succeed, one after the other.
        foreach (var pid in streams)
        {
            var texts = new List<string>();
            var highest = await journal.ReplayAndReadHighestAsync(pid, 1, long.MaxValue, long.MaxValue, e => texts.Add(((Noted)e.Payload).Text));
            Assert.Equal(2, highest);
            Assert.Equal(["a", "b"], texts);
        }
    }

    private static Task<long> PendingForCoordinatorAsync(string connection) =>
        ScalarAsync(connection, "SELECT count(*) FROM cm_cluster_inbox WHERE target = @t AND done_at IS NULL", 0);

    private static Task<long> CompletedForCoordinatorAsync(string connection, long afterId) =>
        ScalarAsync(connection, "SELECT count(*) FROM cm_cluster_inbox WHERE target = @t AND done_at IS NOT NULL AND id > @a", afterId);

    private static Task<long> LastCoordinatorMessageAsync(string connection) =>
        ScalarAsync(connection, "SELECT coalesce(max(id), 0) FROM cm_cluster_inbox WHERE target = @t", 0);

    /// <summary>A count over the coordinator's inbox; -1 while the server is unreachable.</summary>
    private static async Task<long> ScalarAsync(string connection, string sql, long afterId)
    {
        try
        {
            await using var data = Npgsql.NpgsqlDataSource.Create(connection);
            await using var command = data.CreateCommand(sql);
            command.Parameters.AddWithValue("t", CrossMargin.Cluster.Sharding.ClusterResources.Coordinator);
            command.Parameters.AddWithValue("a", afterId);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Npgsql.NpgsqlException)
        {
            return -1;
        }
    }

    private static List<long> AccountPerShard(Scenario scenario) =>
        scenario.Population.All().Select(s => s.AccountId).Where(id => id >= 1)
            .GroupBy(id => CrossMargin.Cluster.Sharding.ShardMap.ShardOf(id, Shards)).OrderBy(g => g.Key).Select(g => g.Min()).ToList();

    private static decimal InitialIndex(Scenario scenario, string symbol) =>
        scenario.Instruments.FirstOrDefault(i => i.Id == symbol)?.InitialPrice ?? scenario.Assets.First(a => a.PriceFeed == symbol).InitialPrice;

    private static Deposit Deposit(Scenario scenario, long account, long commandId)
    {
        var seed = scenario.Population.All().First(s => s.AccountId == account);
        var asset = seed.Deposits.Count > 0 ? seed.Deposits[0].Asset : scenario.ValuationAsset;
        return new Deposit(account, commandId, asset, 1m);
    }

    private static Task EventuallyAsync(Func<bool> condition, string what) => EventuallyAsync(() => Task.FromResult(condition()), what);

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"timed out after {Patience.TotalSeconds:0}s waiting until {what}");
            }

            // Polling the node's state: the wait itself, bounded above.
            await Task.Delay(20);
        }
    }
}
