using CrossMargin.Risk.Liquidation;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Portfolio;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Scratch;

public class ScratchTests
{
    [Fact]
    public void Scratch_portfolio_bankruptcy()
    {
        var a = Fixtures.Account("a", MarginMode.Portfolio, [("USDT", 1_000m)], [("BTCUSDT", 1m, 50_000m)]);
        var bp = LiquidationPrices.Bankruptcy(a, Fixtures.Catalog, Fixtures.Prices(), "BTCUSDT");
        Assert.Equal(49_000m, bp);
    }

    [Fact]
    public void Scratch_isolated_pool_negative()
    {
        var a = Fixtures.Account("a", MarginMode.Isolated, [("USDT", 100m)], []);
        a = Risk.Events.AccountFold.Apply(a, new Risk.Events.IsolatedMarginAssigned("BTCUSDT", 1_000m), Fixtures.Catalog);
        Assert.True(a.Balance("USDT") >= 0m, $"pool {a.Balance("USDT")}");
    }
}
