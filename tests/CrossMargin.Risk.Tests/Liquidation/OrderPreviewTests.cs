using CrossMargin.Risk.Liquidation;
using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Liquidation;

public class OrderPreviewTests
{
    private static readonly Account Funded = Fixtures.Account("a", MarginMode.Cross, [("USDT", 1_000m)], []);

    [Fact]
    public void Preview_should_report_IM_and_MM_deltas_and_the_new_liquidation_price()
    {
        var p = OrderPreview.Preview(Funded, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.Healthy, "BTCUSDT", 1m, 50_000m);
        Assert.True(p.Accepted);
        Assert.Equal(400m, p.DeltaInitial); // 50,000 / 125
        Assert.Equal(200m, p.DeltaMaintenance);
        Assert.Equal(49_196.8m, p.LiquidationPriceAfter);
    }

    [Fact]
    public void An_order_that_would_breach_initial_margin_should_be_rejected()
    {
        var p = OrderPreview.Preview(Funded, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.Healthy, "BTCUSDT", 3m, 50_000m);
        Assert.False(p.Accepted); // IM 150,000 / 50 = 3,000 > 1,000
        Assert.Contains("initial margin", p.RejectReason);
    }

    [Fact]
    public void Reduce_only_state_should_accept_reductions_and_refuse_increases()
    {
        var a = Fixtures.Account("a", MarginMode.Cross, [("USDT", 1_000m)], [("BTCUSDT", 0.1m, 50_000m)]);
        Assert.True(OrderPreview.Preview(a, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.ReduceOnly, "BTCUSDT", -0.05m, 50_000m).Accepted);
        Assert.False(OrderPreview.Preview(a, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.ReduceOnly, "BTCUSDT", 0.05m, 50_000m).Accepted);
    }

    [Fact]
    public void A_size_beyond_the_last_bracket_should_be_rejected_with_the_reason()
    {
        var rich = Fixtures.Account("a", MarginMode.Cross, [("USDT", 1_000_000_000m)], []);
        var p = OrderPreview.Preview(rich, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.Healthy, "BTCUSDT", 20_000m, 50_000m);
        Assert.False(p.Accepted);
        Assert.Contains("beyond the last bracket", p.RejectReason);
    }

    [Fact]
    public void Off_tick_price_and_off_lot_size_should_raise_typed_errors()
    {
        Assert.Equal("order.price", Assert.Throws<RiskInputException>(() => OrderPreview.Preview(Funded, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.Healthy, "BTCUSDT", 0.001m, 50_000.05m)).Field);
        Assert.Equal("order.size", Assert.Throws<RiskInputException>(() => OrderPreview.Preview(Funded, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.Healthy, "BTCUSDT", 0.0001m, 50_000m)).Field);
    }
}
