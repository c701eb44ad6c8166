using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Engine.Domain;

namespace CrossMargin.Cluster.Tests.Node;

/// <summary>
/// The liquidation coordinator runs under the same supervision as the feed singletons: when its actor stops itself while
/// the node still holds <c>singleton-coordinator</c> (here its recovery fails on a snapshot it cannot read, as it fails
/// on a connection a PostgreSQL restart broke), the node starts it again with a backoff, so the cluster is not left
/// without a coordinator until the lease moves (it never moves while the node lives and renews it).
/// </summary>
[Collection(NodePostgresCollection.Name)]
public sealed class NodeCoordinatorSupervisionTests(NodePostgresFixture fixture)
{
    [Fact]
    public async Task A_coordinator_whose_recovery_failed_should_be_started_again_while_the_node_holds_its_lease()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);

        // The journal's tables, then a snapshot of the coordinator that no serializer knows: every recovery of the
        // coordinator fails (and stops the actor) while it is there.
        await using (var journal = await JournalKit.OpenAsync(cluster.Connection, fence: null))
        {
        }

        await cluster.ExecAsync(
            "INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot, manifest, serializer_id) VALUES (@p, 1, @c, @b, 'no-such-snapshot@v1', 1)",
            ("p", EngineIds.Coordinator), ("c", DateTime.UtcNow.Ticks), ("b", new byte[] { 1, 2, 3 }));
        var sink = new RecordingLogSink();
        var node = await cluster.StartNodeAsync("node-s", sink.Logger());
        await NodeTestCluster.EventuallyAsync(() => node.HostedSingletons.Contains("coordinator"), "the node runs the coordinator singleton");
        await NodeTestCluster.EventuallyAsync(() => sink.RecoveryFailures(EngineIds.Coordinator) > 0, "the coordinator's recovery fails on the unreadable snapshot");
        Assert.Empty(await cluster.JournalRowsAsync(EngineIds.Coordinator));

        // The snapshot is gone: the next incarnation recovers (from an empty journal) and, being the journal's first
        // coordinator, seeds the insurance fund. Without supervision nothing would ever start it again.
        await cluster.ExecAsync("DELETE FROM snapshot WHERE persistence_id = @p", ("p", EngineIds.Coordinator));
        await NodeTestCluster.EventuallyAsync(
            async () => (await cluster.JournalRowsAsync(EngineIds.Coordinator)).Any(r => r.Manifest.StartsWith("InsuranceFundSeeded", StringComparison.Ordinal)),
            "a new incarnation of the coordinator recovers and journals the insurance fund's seed");
        var rows = await cluster.JournalRowsAsync(EngineIds.Coordinator);
        Assert.Single(rows, r => r.Manifest.StartsWith("InsuranceFundSeeded", StringComparison.Ordinal));
        Assert.Contains(node.HostedSingletons, s => s == "coordinator");
        Assert.True(sink.Contains("Singleton {Singleton} started again (incarnation {Incarnation})"), "the supervisor logs the restart");
    }
}
