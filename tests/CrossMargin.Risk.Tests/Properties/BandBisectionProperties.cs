using CrossMargin.Risk.Bands;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Portfolio;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Properties;

/// <summary>
/// The risk bands' box fixed point is found by a decimal bisection that a floating-point copy of ρ steers (it skips
/// the exact ρ where the side of the midpoint is certain). These properties pin that the steering changes nothing:
/// the bands equal, digit for digit, those of the plain bisection that evaluates ρ at every step.
/// </summary>
public class BandBisectionProperties
{
    private static readonly PortfolioMarginConfig Pm = new PortfolioMarginConfig([new CorrelationGroup("majors", ["BTC", "ETH"], 0.12m)]).Validate();

    [Fact]
    public void Steered_bisection_should_give_the_same_bands_as_the_plain_bisection()
    {
        PropertyRunner.ForAllSeeds(300, seed =>
        {
            var mode = (MarginMode)(seed % 3);
            var (account, prices) = RandomBooks.Account(seed, mode);
            var config = Fixtures.Config with { Portfolio = Pm };
            return Enum.GetValues<RiskState>().All(previous =>
                Text(RiskBands.Compute(account, Fixtures.Catalog, prices, config, previous)) ==
                Text(RiskBands.ComputeByBisection(account, Fixtures.Catalog, prices, config, previous)));
        });
    }

    [Fact]
    public void Steered_bisection_should_match_next_to_every_state_boundary()
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
            return Text(RiskBands.Compute(account, Fixtures.Catalog, near, Fixtures.Config, previous)) ==
                Text(RiskBands.ComputeByBisection(account, Fixtures.Catalog, near, Fixtures.Config, previous));
        });
    }

    [Fact]
    public void Steered_bisection_should_match_next_to_the_exit_level()
    {
        // The exit level limits the band only for Liquidating and Backstop states; the guide must skip it exactly where
        // the exact ρ does. Accounts right at their exit level, every previous state (so both rules occur).
        decimal[] offsets = [-0.01m, -0.001m, 0m, 0.001m, 0.01m];
        PropertyRunner.ForAllSeeds(200, seed =>
        {
            var mode = seed % 2 == 0 ? MarginMode.Cross : MarginMode.Isolated;
            var (account, prices) = RandomBooks.Account(seed, mode);
            var near = RandomBooks.NearExitLevel(account, prices, offsets[seed / 2 % offsets.Length], null) ?? prices;
            return Enum.GetValues<RiskState>().All(previous =>
                Text(RiskBands.Compute(account, Fixtures.Catalog, near, Fixtures.Config, previous)) ==
                Text(RiskBands.ComputeByBisection(account, Fixtures.Catalog, near, Fixtures.Config, previous)));
        });
    }

    [Fact]
    public void A_band_with_no_positions_or_only_collateral_should_match_the_plain_bisection()
    {
        var config = Fixtures.Config with { Portfolio = Pm };
        var empty = Account.Empty("e");
        var collateralOnly = Fixtures.Account("c", MarginMode.Cross, [("USDT", 1_000m), ("BTC", 0.5m)], []);
        foreach (var account in new[] { empty, collateralOnly })
        {
            Assert.Equal(Text(RiskBands.ComputeByBisection(account, Fixtures.Catalog, Fixtures.Prices(), config, RiskState.Healthy)),
                Text(RiskBands.Compute(account, Fixtures.Catalog, Fixtures.Prices(), config, RiskState.Healthy)));
        }
    }

    /// <summary>Every output as exact text (decimal's invariant text keeps every digit and trailing zero).</summary>
    private static string Text(RiskBandSet b) =>
        $"{b.State};{b.RelativeWidth};" + string.Join(';', b.Marks.Select(kv => $"{kv.Key}={kv.Value.Low}..{kv.Value.High}")) + "|" +
        string.Join(';', b.AssetPrices.Select(kv => $"{kv.Key}={kv.Value.Low}..{kv.Value.High}"));
}
