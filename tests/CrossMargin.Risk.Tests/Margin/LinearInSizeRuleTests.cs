using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Margin;

public class LinearInSizeRuleTests
{
    [Fact]
    public void Deribit_BTC_maintenance_should_grow_by_half_a_basis_point_per_BTC()
    {
        // Source: Deribit "11 January 2022" change: BTC MM = 1% + size_BTC × 0.005%, IM = 2% + size_BTC × 0.005%.
        // 100 BTC: MM rate 1.5%, IM rate 2.5%; on a 100 BTC notional that is 1.5 BTC and 2.5 BTC.
        var r = LinearInSizeRule.DeribitBtc.Requirement(100m, 100m);
        Assert.Equal(0.015m, r.MaintenanceRate);
        Assert.Equal(1.5m, r.Maintenance);
        Assert.Equal(2.5m, r.Initial);
    }

    [Fact]
    public void Deribit_inverse_perpetual_should_use_the_coin_size_for_the_rate()
    {
        // 500,000 contracts of 10 USD at 50,000 = 100 BTC: MM = 1.5% × 100 BTC = 1.5 BTC, worth 75,000 USD at 50,000.
        var a = Fixtures.WithPositions("a", MarginMode.Cross, 0m, Position.Open(Fixtures.DeribitBtc, 500_000m, 50_000m)).WithBalance("BTC", 10m);
        var risk = MarginEngine.Evaluate(a, Fixtures.Catalog, Fixtures.Prices());
        Assert.Equal(75_000m, risk.Maintenance);
        Assert.Equal(0.015m, risk.Positions[0].MaintenanceRate);
    }
}
