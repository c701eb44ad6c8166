using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Liquidation;
using CrossMargin.Risk.Portfolio;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Waterfall;

namespace CrossMargin.Risk;

/// <summary>
/// Every risk parameter in one immutable record (HOCON <c>crossmargin.risk</c>; names in docs/risk.md).
/// </summary>
/// <param name="Thresholds">State thresholds and the liquidation exit buffer.</param>
/// <param name="Portfolio">Scenario grid for portfolio-mode accounts.</param>
/// <param name="LiquidationFeeRate">Fee on liquidated notional, paid to the insurance fund (must be below every MMR).</param>
/// <param name="Strategy">Partial/incremental liquidation limits.</param>
/// <param name="Waterfall">Loss waterfall steps and ADL ranking.</param>
/// <param name="Bands">Risk-band parameters.</param>
public sealed record RiskConfig(
    RiskThresholds Thresholds,
    PortfolioMarginConfig Portfolio,
    decimal LiquidationFeeRate,
    LiquidationStrategy Strategy,
    LossWaterfallConfig Waterfall,
    BandConfig Bands)
{
    /// <summary>Defaults: Binance-PM-like thresholds, 0.3% liquidation fee, one-shot liquidation, full waterfall with BitMEX ADL.</summary>
    public static RiskConfig Default { get; } = new(RiskThresholds.Default, PortfolioMarginConfig.Default, 0.003m,
        LiquidationStrategy.OneShot, LossWaterfallConfig.Default, BandConfig.Default);

    /// <summary>Validates every part and that the fee is below every maintenance rate of <paramref name="catalog"/>.</summary>
    public RiskConfig Validate(Model.RiskCatalog catalog)
    {
        Thresholds.Validate();
        Portfolio.Validate();
        Guard.UnitInterval(LiquidationFeeRate, "liquidation.fee-rate");
        Strategy.Validate();
        Waterfall.Validate();
        Bands.Validate();
        foreach (var spec in catalog.Instruments.Values)
        {
            spec.Validate(LiquidationFeeRate);
        }

        return this;
    }
}

/// <summary>Risk-band parameters (HOCON <c>crossmargin.risk.bands.*</c>).</summary>
/// <param name="Safety">Fraction of the margin buffer the bands may use (&lt; 1 keeps a strict margin).</param>
/// <param name="MaxRelativeWidth">Widest band, as a relative move either side (also bounds the sensitivity box).</param>
public sealed record BandConfig(decimal Safety = 0.9m, decimal MaxRelativeWidth = 0.25m)
{
    /// <summary>Defaults (90% of the buffer, at most ±25%, directional).</summary>
    public static BandConfig Default { get; } = new();

    /// <summary>
    /// True (the default): a cross account's bands have two widths, one on each price's adverse side (limited by the
    /// boundaries it is above) and one on its favourable side (limited by those it is below: none for a healthy
    /// account), so a move that only helps an account does not wake it. False: one common width either side (isolated
    /// and portfolio accounts always). HOCON <c>crossmargin.risk.bands.directional</c>.
    /// </summary>
    public bool Directional { get; init; } = true;

    /// <summary>
    /// Assets whose price never moves (the valuation asset, and any asset without a price feed): bands give them no
    /// band and no sensitivity, which widens the bands of positions settled in them. The guarantee then holds while
    /// these prices stay as they are. Ordinal ids; empty by default. Used by directional bands.
    /// </summary>
    public IReadOnlySet<string> FixedPriceAssets { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Checks 0 &lt; safety &lt; 1 and 0 &lt; width ≤ 0.5.</summary>
    public BandConfig Validate()
    {
        if (Safety <= 0m || Safety >= 1m)
        {
            throw new RiskInputException("bands.safety", Guard.Text(Safety), "must lie in (0, 1)");
        }

        if (MaxRelativeWidth <= 0m || MaxRelativeWidth > 0.5m)
        {
            throw new RiskInputException("bands.max-relative-width", Guard.Text(MaxRelativeWidth), "must lie in (0, 0.5]");
        }

        return this;
    }
}
