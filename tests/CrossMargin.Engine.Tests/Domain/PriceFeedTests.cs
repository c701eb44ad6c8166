using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using Xunit;

namespace CrossMargin.Engine.Tests.Domain;

public sealed class PriceFeedTests
{
    private static PriceFeed Feed() =>
        new("BTC-PERP", 0.1m, new IndexMarkModel(0.1m), new SquareRootImpactModel(new ImpactParameters(1m, 0.03m, 10_000m, 0.1m)), null);

    [Fact]
    public void Index_tick_should_set_index_and_mark_and_return_the_input_event()
    {
        var feed = Feed();
        var e = feed.OnIndex(1_000_000, 100_000m);
        Assert.Equal(new IndexTickReceived(1_000_000, 100_000m, 100_000m), e);
        Assert.Equal(100_000m, feed.Mark);
    }

    [Fact]
    public void Net_selling_should_push_the_mark_down_and_the_offset_should_persist_over_later_ticks()
    {
        var feed = Feed();
        feed.OnIndex(0, 100_000m);
        var impact = feed.OnRoundFlow(1, 0, -100m);
        Assert.NotNull(impact);
        Assert.True(impact!.PriceChange < 0m);
        Assert.Equal(feed.Mark, impact.Mark);
        var next = feed.OnIndex(1, 100_000m);
        Assert.Equal(100_000m + feed.ImpactOffset, next.Mark);
    }

    [Fact]
    public void Zero_flow_should_not_move_the_mark()
    {
        var feed = Feed();
        feed.OnIndex(0, 100_000m);
        Assert.Null(feed.OnRoundFlow(1, 0, 0m));
        Assert.Equal(100_000m, feed.Mark);
    }

    [Fact]
    public void Tick_should_wake_only_accounts_whose_band_it_leaves()
    {
        var feed = Feed();
        feed.OnIndex(0, 100_000m);
        feed.Bands.Register(1, 95_000m, 105_000m);
        feed.Bands.Register(2, 99_000m, 101_000m);
        var woken = new List<long>();
        feed.OnIndex(1, 98_000m);
        feed.Bands.Wake(feed.Mark, woken);
        Assert.Equal([2L], woken);
    }

    [Fact]
    public void Replaying_the_recorded_events_should_rebuild_the_same_feed()
    {
        var live = Feed();
        var events = new List<FeedEvent> { live.OnIndex(0, 100_000m), live.OnRoundFlow(1, 0, -50m)!, live.OnIndex(1, 99_000m) };
        var replayed = Feed();
        events.ForEach(replayed.Recover);
        Assert.Equal((live.Index, live.Mark, live.ImpactOffset), (replayed.Index, replayed.Mark, replayed.ImpactOffset));
    }
}
