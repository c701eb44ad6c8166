using CrossMargin.Cluster.Sharding;

namespace CrossMargin.Cluster.Tests.Sharding;

public sealed class ShardMapTests
{
    [Fact]
    public void ShardOf_should_be_pinned_forever_for_known_ids()
    {
        // These values are part of every journal's contract: a change would move accounts between shards.
        Assert.Equal(new[] { Pinned0, Pinned1, Pinned42, PinnedNeg }, new[] { ShardMap.ShardOf(0, 64), ShardMap.ShardOf(1, 64), ShardMap.ShardOf(42, 64), ShardMap.ShardOf(-7, 64) });
    }

    [Fact]
    public void ShardOf_should_spread_consecutive_ids_evenly()
    {
        var counts = new int[64];
        for (long id = 1; id <= 64_000; id++)
        {
            counts[ShardMap.ShardOf(id, 64)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(64, 3)]
    [InlineData(7, 5)]
    [InlineData(2, 3)]
    public void Fair_shares_should_be_a_disjoint_cover_that_differs_by_at_most_one(int count, int members)
    {
        var names = Enumerable.Range(0, members).Select(i => $"node-{(char)('c' - i)}").ToArray();
        var shares = names.Select(n => ShardMap.FairShare(count, names, n)).ToArray();

        Assert.Equal(Enumerable.Range(0, count), shares.SelectMany(s => s).Order());
        Assert.True(shares.Max(s => s.Count) - shares.Min(s => s.Count) <= 1);
    }

    [Fact]
    public void A_node_not_among_the_live_members_should_get_no_share()
        => Assert.Empty(ShardMap.FairShare(8, ["a", "b"], "c"));

    [Fact]
    public void Engine_persistence_ids_should_map_to_their_resources()
    {
        Assert.Equal(ClusterResources.Shard(ShardMap.ShardOf(12, 16)), ClusterResources.ResourceOfPersistenceId("account-12", 16));
        Assert.Equal("singleton-coordinator", ClusterResources.ResourceOfPersistenceId(Engine.Domain.EngineIds.Coordinator, 16));
        Assert.Equal("singleton-feed-BTCUSDT", ClusterResources.ResourceOfPersistenceId(Engine.Domain.EngineIds.Feed("BTCUSDT"), 16));
        Assert.Null(ClusterResources.ResourceOfPersistenceId(Engine.Domain.EngineIds.Run, 16));
    }

    private const int Pinned0 = 5;
    private const int Pinned1 = 36;
    private const int Pinned42 = 47;
    private const int PinnedNeg = 59;
}
