using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Operations.LoadGen;
using CrossMargin.Cluster.Operations.Status;

namespace CrossMargin.Cluster.Tests.Failover;

/// <summary>The pieces of the operations tooling that need no processes: member states, lease liveness, the acknowledged file.</summary>
public sealed class OperationsPureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("up", 1.0, MemberStatus.Up)]
    [InlineData("up", 6.0, MemberStatus.Down)]
    [InlineData("leaving", 1.0, MemberStatus.Leaving)]
    [InlineData("leaving", 6.0, MemberStatus.Down)]
    [InlineData("left", 600.0, MemberStatus.Left)]
    public void Member_state_should_be_derived_from_status_and_heartbeat_age_by_the_database_clock(string status, double ageSeconds, MemberStatus expected) =>
        Assert.Equal(expected, ClusterStatusReader.Derive(status, TimeSpan.FromSeconds(ageSeconds), Timeout));

    [Fact]
    public void Lease_should_be_live_only_with_an_owner_and_time_left()
    {
        var node = new NodeStatus("node-1", Guid.NewGuid(), null, null, TimeSpan.Zero, "up", MemberStatus.Up);
        var held = new LeaseStatus("shard-7", "node-1", node.Incarnation, 3, TimeSpan.FromSeconds(2));
        Assert.True(held.Live);
        Assert.True(held.HeldBy(node));
        Assert.Equal(7, held.Shard);
        Assert.False((held with { ExpiresIn = TimeSpan.FromSeconds(-1) }).Live);
        Assert.False((held with { Owner = null, ExpiresIn = null }).Live);
        Assert.False(held.HeldBy(node with { Incarnation = Guid.NewGuid() }), "a restarted node (new incarnation) does not hold its previous life's lease");
        Assert.Null(new LeaseStatus("singleton-feed-BTC-PERP", "node-1", node.Incarnation, 1, TimeSpan.FromSeconds(1)).Shard);
    }

    [Fact]
    public void Acknowledged_command_should_round_trip_through_its_file_line()
    {
        var command = new AcknowledgedCommand(Guid.NewGuid(), "deposit", "account-17", 1763781234000001);
        Assert.Equal(command, AcknowledgedCommand.Parse(command.ToString(), 1));
    }

    [Fact]
    public void Malformed_acknowledged_line_should_be_refused_with_its_line_number()
    {
        var e = Assert.Throws<FormatException>(() => AcknowledgedCommand.Parse("not-a-guid deposit account-1 5", 42));
        Assert.Contains("line 42", e.Message, StringComparison.Ordinal);
    }
}
