using System.Collections.Immutable;
using CrossMargin.Risk.Errors;

namespace CrossMargin.Risk.Model;

/// <summary>One tier of a haircut schedule: value above <paramref name="ValueFloor"/> counts at <paramref name="Ratio"/>.</summary>
/// <param name="ValueFloor">Start of the tier, in the valuation asset (0 for the first tier).</param>
/// <param name="Ratio">Collateral ratio in [0, 1] (0.95 = a 5% haircut).</param>
public sealed record HaircutTier(decimal ValueFloor, decimal Ratio);

/// <summary>
/// Collateral ratio of an asset, optionally tiered by value (Binance cross-margin: BTC 100% up to 100M, 97.5% for
/// 100–120M, …). Weighted value is a piecewise sum over tiers; negative balances (liabilities) count at 100%.
/// </summary>
public sealed record HaircutSchedule
{
    /// <summary>Builds a schedule; tiers must start at 0, rise strictly and hold ratios in [0, 1].</summary>
    public HaircutSchedule(IEnumerable<HaircutTier> tiers)
    {
        Tiers = tiers.ToImmutableArray();
        if (Tiers.Length == 0 || Tiers[0].ValueFloor != 0m)
        {
            throw new RiskInputException("haircut.tiers[0].value-floor", Tiers.Length == 0 ? "none" : Guard.Text(Tiers[0].ValueFloor), "the first tier must start at 0");
        }

        for (var i = 0; i < Tiers.Length; i++)
        {
            Guard.UnitInterval(Tiers[i].Ratio, $"haircut.tiers[{i}].ratio");
            if (i > 0 && Tiers[i].ValueFloor <= Tiers[i - 1].ValueFloor)
            {
                throw new RiskInputException($"haircut.tiers[{i}].value-floor", Guard.Text(Tiers[i].ValueFloor), "must rise strictly");
            }
        }

        MaxRatio = Tiers.Max(t => t.Ratio);
        IsIdentity = Tiers.Length == 1 && Tiers[0].Ratio == 1m;
    }

    /// <summary>True for a flat 100% schedule (weighted value = value): lets solvers stay linear.</summary>
    public bool IsIdentity { get; }

    /// <summary>The tiers, lowest first.</summary>
    public ImmutableArray<HaircutTier> Tiers { get; }

    /// <summary>The largest ratio of any tier (a bound on d(weighted)/d(value)).</summary>
    public decimal MaxRatio { get; }

    /// <summary>A flat ratio for all values.</summary>
    public static HaircutSchedule Flat(decimal ratio) => new([new HaircutTier(0m, ratio)]);

    /// <summary>Weighted value of <paramref name="value"/> (valuation asset); a negative value is returned as is.</summary>
    public decimal Weighted(decimal value)
    {
        if (value <= 0m)
        {
            return value;
        }

        if (Tiers.Length == 1)
        {
            return value * Tiers[0].Ratio;
        }

        var total = 0m;
        for (var i = 0; i < Tiers.Length; i++)
        {
            var floor = Tiers[i].ValueFloor;
            if (value <= floor)
            {
                break;
            }

            var top = i + 1 < Tiers.Length ? Math.Min(value, Tiers[i + 1].ValueFloor) : value;
            total += (top - floor) * Tiers[i].Ratio;
        }

        return total;
    }
}
