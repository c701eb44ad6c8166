using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Tests.Market;

public sealed class SquareRootImpactModelTests
{
    private static readonly SquareRootImpactModel Model = new(new ImpactParameters(Y: 1m, DailyVolatility: 0.04m, DailyVolume: 1_000m, TickSize: 0.1m));

    [Fact]
    public void A_sell_of_a_quarter_of_daily_volume_should_move_the_price_by_y_sigma_times_one_half()
    {
        ImpactQuote quote = Model.Quote(TradeSide.Sell, 250m, 50_000m);
        Assert.Equal(0.02m, quote.RelativeImpact);
        Assert.Equal(49_000m, quote.FinalPrice);
        Assert.Equal(-1_000m, quote.PriceChange);

        // Average fill: the reference moved by two thirds of ΔP, 50,000·(1 − 0.0133…) = 49,333.33…, rounded down for a sell.
        Assert.Equal(49_333.3m, quote.AverageFillPrice);
        Assert.Equal(250m * 49_333.3m, quote.Notional);
    }

    [Fact]
    public void A_buy_should_move_the_price_up_and_round_against_the_buyer()
    {
        ImpactQuote quote = Model.Quote(TradeSide.Buy, 250m, 50_000m);
        Assert.Equal(51_000m, quote.FinalPrice);
        Assert.Equal(50_666.7m, quote.AverageFillPrice);
    }

    [Fact]
    public void Impact_should_grow_with_the_square_root_of_size()
    {
        ImpactQuote small = Model.Quote(TradeSide.Sell, 10m, 50_000m);
        ImpactQuote large = Model.Quote(TradeSide.Sell, 40m, 50_000m);
        Assert.Equal(2m * small.RelativeImpact, large.RelativeImpact);
    }

    [Fact]
    public void A_book_thinned_to_a_quarter_should_double_the_impact()
    {
        ImpactQuote normal = Model.Quote(TradeSide.Sell, 250m, 50_000m);
        ImpactQuote thin = Model.Quote(TradeSide.Sell, 250m, 50_000m, depthFactor: 0.25m);
        Assert.Equal(2m * normal.RelativeImpact, thin.RelativeImpact);
        Assert.Equal(48_000m, thin.FinalPrice);
    }

    [Fact]
    public void Impact_should_be_capped_so_the_price_stays_positive()
    {
        ImpactQuote quote = Model.Quote(TradeSide.Sell, 1_000_000_000m, 50_000m, depthFactor: 0.0001m);
        Assert.Equal(0.95m, quote.RelativeImpact);
        Assert.Equal(2_500m, quote.FinalPrice);
    }

    [Fact]
    public void Quotes_should_be_identical_on_repeat()
    {
        Assert.Equal(Model.Quote(TradeSide.Sell, 12.345m, 61_234.5m, 0.37m), Model.Quote(TradeSide.Sell, 12.345m, 61_234.5m, 0.37m));
    }

    [Fact]
    public void Bad_arguments_and_parameters_should_be_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Quote(TradeSide.Sell, -1m, 100m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Quote(TradeSide.Sell, 1m, 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Quote(TradeSide.Sell, 1m, 100m, 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Quote(TradeSide.Sell, 1m, 100m, 1.5m));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SquareRootImpactModel(new ImpactParameters(1m, 0m, 1m, 1m)));
    }
}
