using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Tests.Infrastructure;

namespace CrossMargin.Cluster.Tests.Membership;

public sealed class ClusterMembershipTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task A_member_whose_heartbeat_stops_should_be_seen_down_after_the_failure_timeout_by_the_database_clock()
    {
        var settings = TestNode.FastSettings(await postgres.NewDatabaseAsync(), "node-a");
        await using var store = await ClusterStore.OpenAsync(settings);
        await using var a = new ClusterMembership(store, settings);
        await using var b = new ClusterMembership(store, settings with { NodeName = "node-b" });
        await a.JoinAsync();
        await b.JoinAsync();
        Assert.Equal(["node-a", "node-b"], await a.LiveMemberNamesAsync());

        await b.StopHeartbeatsAsync();

        var members = await Eventually.UntilAsync(() => a.ListMembersAsync(), ms => ms.Single(m => m.Node == "node-b").Status == MemberStatus.Down, "node-b down");
        Assert.Equal(MemberStatus.Up, members.Single(m => m.Node == "node-a").Status);
        Assert.Equal(["node-a"], await a.LiveMemberNamesAsync());
    }

    [Fact]
    public async Task Joining_again_should_give_a_fresh_incarnation_and_supersede_the_previous_process()
    {
        var settings = TestNode.FastSettings(await postgres.NewDatabaseAsync(), "node-a");
        await using var store = await ClusterStore.OpenAsync(settings);
        await using var first = new ClusterMembership(store, settings);
        await using var second = new ClusterMembership(store, settings);
        var superseded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Superseded += () => superseded.TrySetResult();
        await first.JoinAsync();

        await second.JoinAsync();

        Assert.NotEqual(first.Incarnation, second.Incarnation);
        await superseded.Task.WaitAsync(Eventually.DefaultPatience);
        Assert.False(await first.HeartbeatAsync());
        Assert.Equal(second.Incarnation, (await second.ListMembersAsync()).Single().Incarnation);
    }

    [Fact]
    public async Task Leaving_should_mark_the_member_left_and_out_of_the_live_list()
    {
        var settings = TestNode.FastSettings(await postgres.NewDatabaseAsync(), "node-a");
        await using var store = await ClusterStore.OpenAsync(settings);
        await using var a = new ClusterMembership(store, settings);
        await a.JoinAsync();

        await a.SetLeavingAsync();
        Assert.Equal(MemberStatus.Leaving, (await a.ListMembersAsync()).Single().Status);
        await a.LeaveAsync();

        Assert.Equal(MemberStatus.Left, (await a.ListMembersAsync()).Single().Status);
        Assert.Empty(await a.LiveMemberNamesAsync());
    }
}
