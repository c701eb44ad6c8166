using CrossMargin.Risk.Bands;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Properties;

/// <summary>
/// Directional bands (cross accounts): one width on each price's adverse side, another on its favourable side, fixed
/// prices unbanded. They must keep the guarantee wherever the box is tight (every corner, each edge alone, a hair
/// inside), be at least as wide as the symmetric bands where the symmetric bound is loosest (books settled in a fixed
/// asset), and leave a healthy account's favourable side at the widest band.
/// </summary>
public class DirectionalBandProperties
{
    private static readonly RiskConfig Directional = Fixtures.Config;

    private static readonly RiskConfig UsdtFixed = Fixtures.Config with
    {
        Bands = Fixtures.Config.Bands with { FixedPriceAssets = new HashSet<string>(["USDT"], StringComparer.Ordinal) },
    };

    private static readonly RiskConfig Symmetric = UsdtFixed with { Bands = UsdtFixed.Bands with { Directional = false } };

    [Fact]
    public void Directional_bands_should_hold_their_state_at_every_corner_and_edge()
    {
        // Random cross books (linear, inverse settled in BTC, linear-in-size rules, tiered haircuts) and tight ones next
        // to a boundary; with and without USDT fixed; every previous state.
        PropertyRunner.ForAllSeeds(300, seed =>
        {
            var rng = new System.Random(seed);
            var (account, prices) = seed % 2 == 0 ? RandomBooks.Account(seed, MarginMode.Cross) : MarginProperties.TightAccount(rng, MarginMode.Cross);
            var config = seed % 3 == 0 ? Directional : UsdtFixed;
            return Enum.GetValues<RiskState>().All(previous => Holds(account, prices, config, previous, rng));
        });
    }

    [Fact]
    public void Directional_bands_should_hold_next_to_every_state_boundary_and_the_exit_level()
    {
        decimal[] ratios = [0m, 0.05m, 0.6667m, 0.99m, 1m, 1.01m, 1.2m, 1.5m, 3m];
        decimal[] offsets = [-0.01m, -0.001m, 0m, 0.001m, 0.01m];
        PropertyRunner.ForAllSeeds(300, seed =>
        {
            var rng = new System.Random(seed);
            var (account, prices) = RandomBooks.Account(seed, MarginMode.Cross);
            var near = seed % 2 == 0
                ? RandomBooks.NearRatio(account, prices, ratios[seed / 2 % ratios.Length], null)
                : RandomBooks.NearExitLevel(account, prices, offsets[seed / 2 % offsets.Length], null);
            var config = seed % 4 < 2 ? UsdtFixed : Directional;
            return Enum.GetValues<RiskState>().All(previous => Holds(account, near ?? prices, config, previous, rng));
        });
    }

    [Fact]
    public void Directional_bands_should_contain_the_symmetric_bands_of_books_settled_in_a_fixed_asset()
    {
        PropertyRunner.ForAllSeeds(300, seed =>
        {
            var rng = new System.Random(seed);
            var (account, prices) = MarginProperties.TightAccount(rng, MarginMode.Cross);
            var previous = (RiskState)rng.Next(6);
            var wide = RiskBands.Compute(account, Fixtures.Catalog, prices, UsdtFixed, previous);
            var narrow = RiskBands.Compute(account, Fixtures.Catalog, prices, Symmetric, previous);
            if (wide.State != narrow.State || !wide.Marks.Keys.SequenceEqual(narrow.Marks.Keys))
            {
                return false;
            }

            // One bisection step (w/1024, taken as w/1000) of the centre, plus a tick of rounding.
            var step = UsdtFixed.Bands.MaxRelativeWidth / 1_000m;
            foreach (var (id, band) in narrow.Marks)
            {
                var slack = (prices.Mark(id) * step) + Fixtures.Catalog.Instrument(id).TickSize;
                if (wide.Marks[id].Low > band.Low + slack || wide.Marks[id].High < band.High - slack)
                {
                    return false;
                }
            }

            foreach (var (asset, band) in narrow.AssetPrices)
            {
                if (asset != "USDT" && (!wide.AssetPrices.TryGetValue(asset, out var w)
                    || w.Low > band.Low + (prices.Price(asset) * step) || w.High < band.High - (prices.Price(asset) * step)))
                {
                    return false;
                }
            }

            return !wide.AssetPrices.ContainsKey("USDT");
        });
    }

    [Fact]
    public void A_healthy_long_should_not_be_woken_by_a_rise_nor_a_healthy_short_by_a_fall()
    {
        var account = Fixtures.Account("a", MarginMode.Cross, [("USDT", 10_000m)], [("BTCUSDT", 1m, 50_000m), ("ETHUSDT", -5m, 3_000m)]);
        var prices = Fixtures.Prices();
        var bands = RiskBands.Compute(account, Fixtures.Catalog, prices, UsdtFixed, RiskState.Healthy);
        var (btc, eth) = (prices.Mark("BTCUSDT"), prices.Mark("ETHUSDT"));

        Assert.Equal(RiskState.Healthy, bands.State);
        Assert.Equal(Rounding.Down(btc * 1.25m, 0.1m), bands.Marks["BTCUSDT"].High); // the widest band on the long's rising side
        Assert.Equal(Rounding.Up(eth * 0.75m, 0.01m), bands.Marks["ETHUSDT"].Low); // and on the short's falling side
        Assert.True(btc - bands.Marks["BTCUSDT"].Low < bands.Marks["BTCUSDT"].High - btc);
        Assert.True(bands.Marks["ETHUSDT"].High - eth < eth - bands.Marks["ETHUSDT"].Low);
        Assert.False(bands.AssetPrices.ContainsKey("USDT"));

        var symmetric = RiskBands.Compute(account, Fixtures.Catalog, prices, Symmetric, RiskState.Healthy);
        Assert.True(symmetric.Marks["BTCUSDT"].High < bands.Marks["BTCUSDT"].High);
        Assert.True(symmetric.Marks["BTCUSDT"].Low > bands.Marks["BTCUSDT"].Low); // USDT fixed: the adverse side widens too
    }

    [Fact]
    public void A_margin_called_long_should_be_woken_by_a_rise_that_clears_its_call()
    {
        var account = Fixtures.Account("a", MarginMode.Cross, [("USDT", 10_000m)], [("BTCUSDT", 1m, 50_000m)]);
        var called = RandomBooks.NearRatio(account, Fixtures.Prices(), 1.4m, null)!; // between reduce-only (1.2) and warning (1.5)
        var bands = RiskBands.Compute(account, Fixtures.Catalog, called, UsdtFixed, RiskState.Healthy);
        var x = called.Mark("BTCUSDT");

        Assert.Equal(RiskState.Warning, bands.State);
        Assert.True(bands.Marks["BTCUSDT"].High < Rounding.Down(x * 1.25m, 0.1m));
        Assert.True(bands.Marks["BTCUSDT"].Low < x && bands.Marks["BTCUSDT"].High > x);
    }

    /// <summary>The state with the band's own state as previous is the band's state at every tight point of the box.</summary>
    private static bool Holds(Account account, MarketPrices prices, RiskConfig config, RiskState previous, System.Random rng)
    {
        var bands = RiskBands.Compute(account, Fixtures.Catalog, prices, config, previous);
        foreach (var asset in config.Bands.FixedPriceAssets)
        {
            if (bands.AssetPrices.ContainsKey(asset))
            {
                return false;
            }
        }

        return BandBox.EdgePoints(prices, bands, rng).All(p =>
            MarginEngine.State(MarginEngine.Evaluate(account, Fixtures.Catalog, p), bands.State, config.Thresholds) == bands.State);
    }
}
