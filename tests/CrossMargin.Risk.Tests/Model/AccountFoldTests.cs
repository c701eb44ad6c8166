using CrossMargin.Risk.Events;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Model;

public class AccountFoldTests
{
    [Fact]
    public void Adding_to_a_position_should_average_the_entry_by_size()
    {
        var a = Fixtures.Account("a", MarginMode.Cross, [("USDT", 10_000m)], [("BTCUSDT", 1m, 50_000m), ("BTCUSDT", 3m, 54_000m)]);
        Assert.Equal(53_000m, a.Positions["BTCUSDT"].EntryPrice(InstrumentKind.LinearPerpetual));
    }

    [Fact]
    public void Inverse_entry_should_be_the_harmonic_mean()
    {
        // 1,000 contracts at 40,000 and 1,000 at 60,000: entry = 2,000 / (1,000/40,000 + 1,000/60,000) = 48,000.
        var a = Fixtures.Account("a", MarginMode.Cross, [("BTC", 1m)], [("BTCUSD", 1_000m, 40_000m), ("BTCUSD", 1_000m, 60_000m)]);
        Assert.Equal(48_000m, decimal.Round(a.Positions["BTCUSD"].EntryPrice(InstrumentKind.InversePerpetual), 6)); // costs keep 16 decimals
    }

    [Fact]
    public void Reducing_should_realize_pnl_into_the_settlement_balance_and_flipping_should_reopen_at_the_fill()
    {
        var a = Fixtures.Account("a", MarginMode.Cross, [("USDT", 10_000m)], [("BTCUSDT", 2m, 50_000m), ("BTCUSDT", -3m, 51_000m)]);
        Assert.Equal(12_000m, a.Balance("USDT")); // 2 × 1,000 realized
        Assert.Equal(-1m, a.Positions["BTCUSDT"].Size);
        Assert.Equal(51_000m, a.Positions["BTCUSDT"].EntryPrice(InstrumentKind.LinearPerpetual));
        Assert.Equal(2_000m, a.Positions["BTCUSDT"].RealizedPnl);
    }

    [Fact]
    public void A_closed_isolated_position_should_return_its_margin_to_the_pool()
    {
        var a = Fixtures.Account("a", MarginMode.Isolated, [("USDT", 10_000m)], []);
        a = AccountFold.Apply(a, new IsolatedMarginAssigned("BTCUSDT", 2_000m), Fixtures.Catalog);
        a = AccountFold.Apply(a, new PositionFilled("BTCUSDT", 1m, 50_000m, 0m), Fixtures.Catalog);
        a = AccountFold.Apply(a, new PositionFilled("BTCUSDT", -1m, 49_000m, 5m), Fixtures.Catalog);
        Assert.Empty(a.Positions);
        Assert.Equal(8_000m + 2_000m - 1_000m - 5m, a.Balance("USDT"));
    }

    [Fact]
    public void A_withdrawal_beyond_the_balance_or_a_negative_deposit_should_be_refused()
    {
        var a = Fixtures.Account("a", MarginMode.Cross, [("USDT", 100m)], []);
        Assert.Equal("withdraw.amount", Assert.Throws<Risk.Errors.RiskInputException>(() => AccountFold.Apply(a, new CollateralWithdrawn("USDT", 100.01m), Fixtures.Catalog)).Field);
        Assert.Equal("deposit.amount", Assert.Throws<Risk.Errors.RiskInputException>(() => AccountFold.Apply(a, new CollateralDeposited("USDT", -1m), Fixtures.Catalog)).Field);
        Assert.Equal("asset", Assert.Throws<Risk.Errors.RiskInputException>(() => AccountFold.Apply(a, new CollateralDeposited("XRP", 1m), Fixtures.Catalog)).Field);
    }

    [Fact]
    public void Insertion_order_should_not_change_the_account()
    {
        var x = Fixtures.Account("a", MarginMode.Cross, [("USDT", 1m), ("BTC", 1m)], [("ETHUSDT", 1m, 3_000m), ("BTCUSDT", 1m, 50_000m)]);
        var y = Fixtures.Account("a", MarginMode.Cross, [("BTC", 1m), ("USDT", 1m)], [("BTCUSDT", 1m, 50_000m), ("ETHUSDT", 1m, 3_000m)]);
        Assert.Equal(x.Positions.Keys, y.Positions.Keys);
        Assert.Equal(x.Balances.Keys, y.Balances.Keys);
    }

    [Fact]
    public void Assigning_more_isolated_margin_than_the_pool_holds_should_raise_a_typed_error()
    {
        // Review issue 3, item 2: the pool must never be made negative by a margin move.
        var a = Fixtures.Account("a", MarginMode.Isolated, [("USDT", 1_000m)], []);
        var e = Assert.Throws<Risk.Errors.RiskInputException>(() => AccountFold.Apply(a, new IsolatedMarginAssigned("BTCUSDT", 1_500m), Fixtures.Catalog));
        Assert.Equal("isolated-margin[BTCUSDT].amount", e.Field);
        Assert.Equal("1500", e.Value);
    }

    [Fact]
    public void Withdrawing_more_isolated_margin_than_the_position_holds_should_raise_a_typed_error()
    {
        var a = Fixtures.Account("a", MarginMode.Isolated, [("USDT", 1_000m)], []);
        a = AccountFold.Apply(a, new IsolatedMarginAssigned("BTCUSDT", 400m), Fixtures.Catalog);
        var e = Assert.Throws<Risk.Errors.RiskInputException>(() => AccountFold.Apply(a, new IsolatedMarginAssigned("BTCUSDT", -500m), Fixtures.Catalog));
        Assert.Equal("isolated-margin[BTCUSDT].amount", e.Field);
        Assert.Equal("-500", e.Value);
        Assert.False(AccountFold.TryApply(a, new IsolatedMarginAssigned("BTCUSDT", -500m), Fixtures.Catalog, out var unchanged, out var error));
        Assert.Same(a, unchanged);
        Assert.Equal("isolated-margin[BTCUSDT].amount", error!.Field);
        var back = AccountFold.Apply(a, new IsolatedMarginAssigned("BTCUSDT", -400m), Fixtures.Catalog);
        Assert.Equal(1_000m, back.Balance("USDT"));
    }

    [Fact]
    public void Position_Open_should_round_an_inverse_cost_exactly_as_an_opening_fill_does()
    {
        // Review issue 3, item 7: 3 contracts at 7 → cost 3/7 rounded to 16 places, like PositionMath.CostOf.
        var opened = Position.Open(Fixtures.BtcUsd, 3m, 7m);
        var filled = Fixtures.Account("a", MarginMode.Cross, [("BTC", 1m)], [("BTCUSD", 3m, 7m)]).Positions["BTCUSD"];
        Assert.Equal(filled.Cost, opened.Cost);
        Assert.Equal(0.4285714285714285m, opened.Cost);
    }
}
