using System.Collections.Immutable;
using CrossMargin.Risk.Errors;

namespace CrossMargin.Risk.Portfolio;

/// <summary>Underlyings that move together in every scenario (one SPAN "combined commodity").</summary>
/// <param name="Name">Group name.</param>
/// <param name="Assets">Underlying/collateral asset ids in the group (e.g. BTC, ETH).</param>
/// <param name="Range">Largest relative price move scanned (0.16 = ±16%, Deribit).</param>
public sealed record CorrelationGroup(string Name, ImmutableArray<string> Assets, decimal Range);

/// <summary>
/// Scenario-grid portfolio margin. MM = Σ_groups max(0, worst scenario loss) + floor-rate × Σ notional; IM = k × MM.
/// HOCON: <c>crossmargin.risk.portfolio.*</c>.
/// </summary>
/// <param name="Groups">Correlation groups; an ungrouped, non-stable asset forms its own group with <paramref name="DefaultRange"/>.</param>
/// <param name="DefaultRange">Range for ungrouped assets (default 0.16).</param>
/// <param name="Buckets">Price points from −range to +range, ends included (Deribit: 9; SPAN: 7).</param>
/// <param name="VolStates">Vol states per price point (3 = down/same/up; a placeholder until options exist, perps ignore it).</param>
/// <param name="ExtremeMultiple">Extreme move = ± this × range (SPAN: 2–3).</param>
/// <param name="ExtremeCoverage">Fraction of the extreme-move loss counted (SPAN: 0.33–0.35).</param>
/// <param name="PositionFloorRate">Per-position floor, as a fraction of notional (contingency).</param>
/// <param name="InitialMultiplier">IM = this × MM (k ≥ 1).</param>
/// <param name="StableAssets">Assets never shocked (e.g. USDT).</param>
public sealed record PortfolioMarginConfig(
    ImmutableArray<CorrelationGroup> Groups,
    decimal DefaultRange = 0.16m,
    int Buckets = 9,
    int VolStates = 3,
    decimal ExtremeMultiple = 2m,
    decimal ExtremeCoverage = 0.35m,
    decimal PositionFloorRate = 0.005m,
    decimal InitialMultiplier = 1.5m,
    ImmutableArray<string> StableAssets = default)
{
    /// <summary>Defaults (no explicit groups; USDT, USDC, USD stable).</summary>
    public static PortfolioMarginConfig Default { get; } = new(ImmutableArray<CorrelationGroup>.Empty);

    /// <summary>Stable assets, never shocked.</summary>
    public ImmutableArray<string> Stable => StableAssets.IsDefault ? ["USDT", "USDC", "USD"] : StableAssets;

    /// <summary>Checks ranges in (0, 1), at least 2 buckets, k ≥ 1.</summary>
    public PortfolioMarginConfig Validate()
    {
        foreach (var g in Groups)
        {
            CheckRange(g.Range, $"portfolio.groups[{g.Name}].range");
        }

        CheckRange(DefaultRange, "portfolio.default-range");
        if (Buckets < 2)
        {
            throw new RiskInputException("portfolio.buckets", Buckets.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 2");
        }

        if (VolStates < 1)
        {
            throw new RiskInputException("portfolio.vol-states", VolStates.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 1");
        }

        Guard.UnitInterval(ExtremeCoverage, "portfolio.extreme-coverage");
        Guard.NonNegative(PositionFloorRate, "portfolio.position-floor-rate");
        if (InitialMultiplier < 1m)
        {
            throw new RiskInputException("portfolio.initial-multiplier", Guard.Text(InitialMultiplier), "must be at least 1");
        }

        if (ExtremeMultiple * Groups.Select(g => g.Range).Append(DefaultRange).Max() >= 1m)
        {
            throw new RiskInputException("portfolio.extreme-multiple", Guard.Text(ExtremeMultiple), "extreme move must stay below 100%");
        }

        return this;
    }

    /// <summary>Largest relative move any scenario applies (extreme move included).</summary>
    public decimal MaxShock => Math.Max(1m, ExtremeMultiple) * Groups.Select(g => g.Range).Append(DefaultRange).Max();

    private static void CheckRange(decimal r, string field)
    {
        if (r <= 0m || r >= 1m)
        {
            throw new RiskInputException(field, Guard.Text(r), "must lie in (0, 1)");
        }
    }
}
