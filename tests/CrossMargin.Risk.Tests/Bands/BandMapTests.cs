using CrossMargin.Risk.Bands;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Bands;

/// <summary>The bands' sorted map: ordinal order whatever the order given, one entry per id, lookups by id.</summary>
public class BandMapTests
{
    [Fact]
    public void Bands_should_come_in_ordinal_id_order_one_per_price_with_lookups()
    {
        // An account with USDT collateral and two USDT-settled positions: the USDT band is offered three times.
        var account = Fixtures.Account("a", MarginMode.Cross, [("USDT", 10_000m), ("BTC", 0.1m)], [("ETHUSDT", 2m, 3_000m), ("BTCUSDT", 0.1m, 50_000m)]);
        var bands = RiskBands.Compute(account, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.Healthy);
        Assert.Equal(["BTCUSDT", "ETHUSDT"], bands.Marks.Keys);
        Assert.Equal(["BTC", "USDT"], bands.AssetPrices.Keys);
        Assert.Equal(bands.Marks.Keys, bands.Marks.Select(kv => kv.Key));
        Assert.True(bands.Marks["ETHUSDT"].Contains(Fixtures.Prices().Mark("ETHUSDT")));
        Assert.True(bands.AssetPrices.TryGetValue("USDT", out var usdt) && usdt.Contains(1m));
        Assert.False(bands.Marks.ContainsKey("SOLUSDT"));
        Assert.Throws<KeyNotFoundException>(() => bands.Marks["SOLUSDT"]);
    }

    [Fact]
    public void An_account_with_nothing_should_have_empty_maps()
    {
        var bands = RiskBands.Compute(Account.Empty("e"), Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.Healthy);
        Assert.Empty(bands.Marks);
        Assert.Empty(bands.AssetPrices);
        Assert.Same(BandMap.Empty, bands.Marks);
    }
}
