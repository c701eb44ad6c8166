using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Domain;

namespace CrossMargin.Cluster.Tests.Node;

[Collection(NodePostgresCollection.Name)]
public sealed class NodeInboxTests(NodePostgresFixture fixture)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Commands_through_the_inbox_are_applied_once_and_replied()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var node = await cluster.StartNodeAsync("node-a");
        await cluster.AllShardsHostedAsync(node);
        var account = cluster.AccountsIn(Enumerable.Range(0, NodeTestCluster.Shards))[0];

        var reply = await cluster.Client.RequestAsync<CommandReply>(new Deposit(account, 1, cluster.Asset, 250m), Guid.NewGuid(), ReplyTimeout);
        var view = await cluster.Client.RequestAsync<AccountView>(new GetAccountMessage(account), Guid.NewGuid(), ReplyTimeout);

        Assert.True(reply.Accepted, reply.Reason);
        Assert.Equal(account, reply.AccountId);
        Assert.Equal(250m, view.Balances.Single(b => b.Asset == cluster.Asset).Amount);
        var rows = await cluster.JournalRowsAsync("account-" + account);
        Assert.Equal(["Deposited@v1", "CommandApplied@v1"], rows.Select(r => r.Manifest));
        var lease = node.LeaseOf(ShardMap.ShardOf(account, NodeTestCluster.Shards))!;
        Assert.All(rows, r => Assert.Equal(lease.WriterId, r.Writer));
    }

    [Fact]
    public async Task A_duplicate_command_id_gets_the_original_reply_and_no_second_event()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var node = await cluster.StartNodeAsync("node-a");
        await cluster.AllShardsHostedAsync(node);
        var account = cluster.AccountsIn(Enumerable.Range(0, NodeTestCluster.Shards))[0];
        var deposit = Guid.NewGuid();
        var refusedWithdraw = Guid.NewGuid();

        var first = await cluster.Client.RequestAsync<CommandReply>(new Deposit(account, 11, cluster.Asset, 100m), deposit, ReplyTimeout);
        var refused = await cluster.Client.RequestAsync<CommandReply>(new Withdraw(account, 12, cluster.Asset, 1_000m), refusedWithdraw, ReplyTimeout);

        // Sent again: the inbox answers from the stored reply.
        var again = await cluster.Client.RequestAsync<CommandReply>(new Deposit(account, 11, cluster.Asset, 100m), deposit, ReplyTimeout);

        // The crash case: the effect was journaled but the completion was lost, so the message is delivered again, to
        // the shard's next owner. Only the account's journaled receipt (kept in its snapshot) can stop a second effect now.
        await cluster.ExecAsync("DELETE FROM cm_cluster_replies WHERE command_id = ANY(@c)", ("c", new[] { deposit, refusedWithdraw }));
        await cluster.ExecAsync("UPDATE cm_cluster_inbox SET done_at = NULL WHERE command_id = ANY(@c)", ("c", new[] { deposit, refusedWithdraw }));
        await node.StopAsync();
        var next = await cluster.StartNodeAsync("node-b");
        await cluster.AllShardsHostedAsync(next);
        var redelivered = await cluster.Client.RequestAsync<CommandReply>(new Deposit(account, 11, cluster.Asset, 100m), deposit, ReplyTimeout);

        // A later deposit would let the withdrawal pass if it were decided afresh; the redelivery keeps the original refusal.
        var topUp = await cluster.Client.RequestAsync<CommandReply>(new Deposit(account, 13, cluster.Asset, 5_000m), Guid.NewGuid(), ReplyTimeout);
        var refusedAgain = await cluster.Client.RequestAsync<CommandReply>(new Withdraw(account, 12, cluster.Asset, 1_000m), refusedWithdraw, ReplyTimeout);
        var view = await cluster.Client.RequestAsync<AccountView>(new GetAccountMessage(account), Guid.NewGuid(), ReplyTimeout);

        Assert.True(first.Accepted);
        Assert.False(refused.Accepted);
        Assert.True(topUp.Accepted);
        Assert.Equal(first, again);
        Assert.Equal(first, redelivered);
        Assert.Equal(refused, refusedAgain);
        Assert.Equal(5_100m, view.Balances.Single(b => b.Asset == cluster.Asset).Amount);
        var manifests = (await cluster.JournalRowsAsync("account-" + account)).Select(r => r.Manifest).ToList();
        Assert.Equal(2, manifests.Count(m => m == "Deposited@v1"));
        Assert.DoesNotContain("Withdrawn@v1", manifests);
        Assert.Equal(3, manifests.Count(m => m == "CommandApplied@v1"));
    }

    [Fact]
    public async Task Unknown_message_types_and_accounts_get_typed_error_replies()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var node = await cluster.StartNodeAsync("node-a");
        await cluster.AllShardsHostedAsync(node);
        var unknownAccount = 9_999_999L;

        var unknown = await cluster.Client.RequestAsync<MessageError>(new GetAccountMessage(unknownAccount), Guid.NewGuid(), ReplyTimeout);
        var refused = await cluster.Client.RequestAsync<CommandReply>(new Deposit(unknownAccount, 1, cluster.Asset, 1m), Guid.NewGuid(), ReplyTimeout);

        Assert.Equal("unknown-account", unknown.Code);
        Assert.Contains("9999999", unknown.Message, StringComparison.Ordinal);
        Assert.False(refused.Accepted);
        Assert.Contains("unknown account 9999999", refused.Reason, StringComparison.Ordinal);
    }
}
