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

    private static PriceFeed DecayingFeed() =>
        new("BTC-PERP", 0.1m, new IndexMarkModel(0.1m), new SquareRootImpactModel(new ImpactParameters(1m, 0.03m, 10_000m, 0.1m)), null, TimeSpan.FromSeconds(60));

    [Fact]
    public void One_aggregated_round_flow_should_move_the_mark_less_than_the_same_quantity_in_small_orders()
    {
        var aggregated = Feed();
        aggregated.OnIndex(0, 100_000m);
        aggregated.OnRoundFlow(1, 0, -100m);
        var split = Feed();
        split.OnIndex(0, 100_000m);
        for (var i = 0; i < 10; i++)
        {
            split.OnRoundFlow(1, 0, -10m);
        }

        Assert.True(aggregated.ImpactOffset < 0m);
        Assert.True(Math.Abs(aggregated.ImpactOffset) < Math.Abs(split.ImpactOffset) / 2m,
            $"aggregated offset {aggregated.ImpactOffset}, ten small orders {split.ImpactOffset}");
    }

    [Fact]
    public void Impact_offset_should_halve_after_one_half_life_and_the_mark_return_toward_the_index()
    {
        var feed = DecayingFeed();
        feed.OnIndex(0, 100_000m);
        feed.OnRoundFlow(1, 0, -100m);
        var offset = feed.ImpactOffset;
        Assert.True(offset < 0m);
        var tick = feed.OnIndex(60_000_000, 100_000m);
        Assert.Equal(Math.Round(offset / 2m, 10), feed.ImpactOffset);
        Assert.Equal(Math.Max(0.1m, 100_000m + feed.ImpactOffset), tick.Mark);
        feed.OnIndex(120_000_000, 100_000m);
        Assert.Equal(Math.Round(offset / 4m, 10), feed.ImpactOffset);
    }

    [Fact]
    public void Without_a_half_life_the_offset_should_not_decay()
    {
        var feed = Feed();
        feed.OnIndex(0, 100_000m);
        feed.OnRoundFlow(1, 0, -100m);
        var offset = feed.ImpactOffset;
        feed.OnIndex(600_000_000, 100_000m);
        Assert.Equal(offset, feed.ImpactOffset);
        Assert.Null(feed.ImpactHalfLife);
    }

    [Fact]
    public void Recovering_the_journaled_events_should_reach_the_same_decayed_offset()
    {
        var live = DecayingFeed();
        var events = new List<FeedEvent> { live.OnIndex(0, 100_000m) };
        events.Add(live.OnRoundFlow(1, 0, -100m)!);
        events.Add(live.OnIndex(15_000_000, 99_000m));
        events.Add(live.OnRoundFlow(2, 15_000_000, -40m)!);
        events.Add(live.OnIndex(47_000_000, 98_500m));
        var replayed = DecayingFeed();
        foreach (var e in events)
        {
            replayed.Recover(e);
        }

        Assert.Equal(live.ImpactOffset, replayed.ImpactOffset);
        Assert.Equal(live.Mark, replayed.Mark);
        Assert.Equal(TimeSpan.FromSeconds(60), replayed.ImpactHalfLife);
    }
}
