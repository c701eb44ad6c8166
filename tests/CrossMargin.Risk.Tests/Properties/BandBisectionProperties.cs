using CrossMargin.Risk.Bands;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Portfolio;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Properties;

/// <summary>
/// The risk bands' box fixed point is found in floating point (each ρ(b) taken 10⁻⁹ below its floating-point value, so
/// every candidate is a valid band); where a bracket step is within floating-point reach, by the decimal bisection that
/// the floating-point copy steers. These properties pin both against the plain decimal bisection that evaluates the
/// exact ρ at every step: the same state and prices banded, a width within one bisection step of it, and the state held
/// at the corners and edges of the box. Symmetric bands (directional off): the directional ones have their own
/// properties (<see cref="DirectionalBandProperties"/>).
/// </summary>
public class BandBisectionProperties
{
    private static readonly PortfolioMarginConfig Pm = new PortfolioMarginConfig([new CorrelationGroup("majors", ["BTC", "ETH"], 0.12m)]).Validate();

    private static readonly RiskConfig Symmetric = Fixtures.Config with { Bands = Fixtures.Config.Bands with { Directional = false } };

    [Fact]
    public void Bands_should_be_within_a_bisection_step_of_the_plain_bisection_and_hold_their_state()
    {
        PropertyRunner.ForAllSeeds(300, seed =>
        {
            var mode = (MarginMode)(seed % 3);
            var (account, prices) = RandomBooks.Account(seed, mode);
            var config = Symmetric with { Portfolio = Pm };
            return Enum.GetValues<RiskState>().All(previous => Close(account, prices, config, previous, seed));
        });
    }

    [Fact]
    public void Bands_should_match_the_plain_bisection_next_to_every_state_boundary()
    {
        // Accounts put at equity ≈ ratio × MM for ratios on and around every threshold, where the fixed point is small
        // and the floating-point guide is most often too close to call.
        decimal[] ratios = [0m, 0.05m, 0.6667m, 0.99m, 1m, 1.01m, 1.2m, 1.5m, 3m];
        PropertyRunner.ForAllSeeds(200, seed =>
        {
            var mode = seed % 2 == 0 ? MarginMode.Cross : MarginMode.Isolated;
            var (account, prices) = RandomBooks.Account(seed, mode);
            var near = RandomBooks.NearRatio(account, prices, ratios[seed % ratios.Length], null) ?? prices;
            var previous = (RiskState)(seed / 2 % 6);
            return Close(account, near, Symmetric, previous, seed);
        });
    }

    [Fact]
    public void Bands_should_match_the_plain_bisection_next_to_the_exit_level()
    {
        // The exit level limits the band only for Liquidating and Backstop states; the guide must skip it exactly where
        // the exact ρ does. Accounts right at their exit level, every previous state (so both rules occur).
        decimal[] offsets = [-0.01m, -0.001m, 0m, 0.001m, 0.01m];
        PropertyRunner.ForAllSeeds(200, seed =>
        {
            var mode = seed % 2 == 0 ? MarginMode.Cross : MarginMode.Isolated;
            var (account, prices) = RandomBooks.Account(seed, mode);
            var near = RandomBooks.NearExitLevel(account, prices, offsets[seed / 2 % offsets.Length], null) ?? prices;
            return Enum.GetValues<RiskState>().All(previous => Close(account, near, Symmetric, previous, seed));
        });
    }

    [Fact]
    public void A_band_with_no_positions_or_only_collateral_should_match_the_plain_bisection_and_hold()
    {
        var config = Symmetric with { Portfolio = Pm };
        var empty = Account.Empty("e");
        var collateralOnly = Fixtures.Account("c", MarginMode.Cross, [("USDT", 1_000m), ("BTC", 0.5m)], []);
        foreach (var account in new[] { empty, collateralOnly })
        {
            Assert.True(Close(account, Fixtures.Prices(), config, RiskState.Healthy, 1));
        }
    }

    /// <summary>
    /// The bands of <see cref="RiskBands.Compute(Account, RiskCatalog, MarketPrices, RiskConfig, RiskState)"/> against the
    /// plain bisection's: same state and banded prices, relative width within one bisection step (w/1024, taken as
    /// w/1000) and the state kept at the box's corners and edges (the guarantee, with the band's state as previous).
    /// </summary>
    private static bool Close(Account account, MarketPrices prices, RiskConfig config, RiskState previous, int seed)
    {
        var fast = RiskBands.Compute(account, Fixtures.Catalog, prices, config, previous);
        var plain = RiskBands.ComputeByBisection(account, Fixtures.Catalog, prices, config, previous);
        if (fast.State != plain.State || !fast.Marks.Keys.SequenceEqual(plain.Marks.Keys) || !fast.AssetPrices.Keys.SequenceEqual(plain.AssetPrices.Keys)
            || Math.Abs(fast.RelativeWidth - plain.RelativeWidth) > config.Bands.MaxRelativeWidth / 1_000m)
        {
            return false;
        }

        var t = config.Thresholds;
        var rng = new System.Random(seed);
        return BandBox.EdgePoints(prices, fast, rng).All(p =>
            MarginEngine.State(MarginEngine.Evaluate(account, Fixtures.Catalog, p, config.Portfolio), fast.State, t) == fast.State);
    }
}
