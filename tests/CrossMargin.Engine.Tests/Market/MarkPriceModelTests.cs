using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Tests.Market;

public sealed class MarkPriceModelTests
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 10, 21, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan HalfLife = TimeSpan.FromSeconds(150);

    [Fact]
    public void Ema_basis_should_move_half_way_to_a_new_basis_after_one_half_life()
    {
        var model = new IndexEmaBasisMarkModel(0.1m, HalfLife);
        Assert.Equal(100m, model.Update(new MarkInputs(T0, 100m, LastPrice: 100m)));
        Assert.Equal(105m, model.Update(new MarkInputs(T0 + HalfLife, 100m, LastPrice: 110m)));
        Assert.Equal(5m, model.EmaBasis);
        Assert.Equal(107.5m, model.Update(new MarkInputs(T0 + (2 * HalfLife), 100m, LastPrice: 110m)));
    }

    [Fact]
    public void Without_a_trade_price_the_ema_should_hold_and_the_mark_follow_the_index()
    {
        var model = new IndexEmaBasisMarkModel(0.1m, HalfLife);
        model.Update(new MarkInputs(T0, 100m, LastPrice: 102m));
        Assert.Equal(92m, model.Update(new MarkInputs(T0.AddMinutes(10), 90m)));
        Assert.Equal(2m, model.EmaBasis);
    }

    [Fact]
    public void Impact_mid_should_be_preferred_over_the_last_price_for_the_basis()
    {
        var model = new IndexEmaBasisMarkModel(0.01m, HalfLife);
        Assert.Equal(101m, model.Update(new MarkInputs(T0, 100m, LastPrice: 150m, ImpactMid: 101m)));
    }

    [Fact]
    public void Marks_should_be_rounded_half_to_even_to_the_tick_size()
    {
        var model = new IndexEmaBasisMarkModel(0.5m, HalfLife);
        Assert.Equal(100m, model.Update(new MarkInputs(T0, 100.25m, LastPrice: 100.25m)));
        var other = new IndexEmaBasisMarkModel(0.5m, HalfLife);
        Assert.Equal(101m, other.Update(new MarkInputs(T0, 100.75m, LastPrice: 100.75m)));
    }

    [Fact]
    public void Median_of_three_should_ignore_a_spoofed_last_price()
    {
        var model = new MedianOfThreeMarkModel(0.1m, HalfLife);
        model.Update(new MarkInputs(T0, 100m, LastPrice: 100m));
        decimal mark = model.Update(new MarkInputs(T0.AddSeconds(1), 100m, LastPrice: 60m, ImpactMid: 100.2m));
        Assert.Equal(100m, mark);
    }

    [Fact]
    public void Median_of_three_should_use_the_funding_basis_price()
    {
        var model = new MedianOfThreeMarkModel(0.01m, HalfLife);

        // P1 = 100·(1 + 0.01·4h/8h) = 100.5, P2 = 100 + 2 = 102, last = 101 → 101.
        decimal mark = model.Update(new MarkInputs(T0, 100m, LastPrice: 101m, ImpactMid: 102m, FundingRate: 0.01m, TimeToFunding: TimeSpan.FromHours(4)));
        Assert.Equal(101m, mark);
        Assert.Equal(7m, MedianOfThreeMarkModel.Median(9m, 7m, 3m));
        Assert.Equal(7m, MedianOfThreeMarkModel.Median(7m, 7m, 3m));
    }

    [Fact]
    public void Index_model_should_return_the_index_on_the_tick_grid()
    {
        var model = new IndexMarkModel(1m);
        Assert.Equal(100m, model.Update(new MarkInputs(T0, 100.4m, LastPrice: 150m)));
    }

    [Fact]
    public void Time_going_backwards_or_a_non_positive_index_should_be_refused()
    {
        var model = new IndexEmaBasisMarkModel(0.1m, HalfLife);
        model.Update(new MarkInputs(T0, 100m));
        Assert.Throws<ArgumentException>(() => model.Update(new MarkInputs(T0.AddSeconds(-1), 100m)));
        Assert.Throws<ArgumentException>(() => model.Update(new MarkInputs(T0, 0m)));
    }

    [Fact]
    public void A_restored_snapshot_should_continue_exactly_like_the_original()
    {
        var original = new MedianOfThreeMarkModel(0.01m, HalfLife);
        var inputs = Enumerable.Range(0, 200)
            .Select(i => new MarkInputs(T0.AddSeconds(i * 7), 100m + (i % 13), LastPrice: 100m + (i % 17), ImpactMid: i % 3 == 0 ? null : 100.5m + (i % 5)))
            .ToList();
        foreach (MarkInputs input in inputs.Take(100))
        {
            original.Update(input);
        }

        var restored = new MedianOfThreeMarkModel(0.01m, HalfLife);
        restored.Restore(original.Snapshot());
        foreach (MarkInputs input in inputs.Skip(100))
        {
            Assert.Equal(original.Update(input), restored.Update(input));
        }

        Assert.Equal(original.Snapshot(), restored.Snapshot());
    }
}
