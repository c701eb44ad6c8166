using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Benchmarks;

/// <summary>
/// The <see cref="RemarginScenario"/> account with its USDT balance cut until equity is 1.3 × MM (between the
/// reduce-only and warning ratios): an account the engine wakes often, whose band is narrow, so the band computation
/// runs its whole bisection for the box fixed point.
/// </summary>
public sealed class BandsScenario
{
    public BandsScenario(int positions)
    {
        var s = new RemarginScenario(positions);
        var risk = MarginEngine.Evaluate(s.Account, s.Catalog, s.Prices);
        var cut = risk.Equity - (1.3m * risk.Maintenance);
        (Account, Catalog, Prices) = (s.Account.WithBalance("USDT", s.Account.Balance("USDT") - cut), s.Catalog, s.Prices);
        Config = RiskConfig.Default.Validate(Catalog);
    }

    public Account Account { get; }

    public RiskCatalog Catalog { get; }

    public MarketPrices Prices { get; }

    public RiskConfig Config { get; }
}
