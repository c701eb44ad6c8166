using System.Collections.Immutable;
using CrossMargin.Risk.Errors;

namespace CrossMargin.Risk.Margin;

/// <summary>
/// Binance-style bracketed requirement: MM = notional·MMR_j − cum_j, IM = notional / maxLeverage_j, with
/// cum_j = cum_{j−1} + floor_j·(MMR_j − MMR_{j−1}) so MM is continuous in notional.
/// </summary>
/// <remarks>Source: Binance <c>GET /fapi/v1/leverageBracket</c> (fields notionalFloor, notionalCap, maintMarginRatio, cum).</remarks>
public sealed record BracketTable : MarginRule
{
    private readonly decimal[] cum;
    private readonly decimal[] initialRate;

    /// <summary>
    /// Builds and validates the table: contiguous brackets from 0 with rising caps, MMR in (0, 1) and non-decreasing
    /// from bracket to bracket (so MM is convex in notional and the cum amounts never fall), max leverage positive and
    /// non-increasing, 1/maxLeverage ≥ MMR. A bad table raises <see cref="RiskInputException"/> naming
    /// <c>brackets[index].field</c> and the value.
    /// </summary>
    public BracketTable(IEnumerable<Bracket> brackets)
    {
        Brackets = brackets.ToImmutableArray();
        if (Brackets.Length == 0)
        {
            throw new RiskInputException("brackets", "[]", "needs at least one bracket");
        }

        cum = new decimal[Brackets.Length];
        initialRate = new decimal[Brackets.Length];
        for (var j = 0; j < Brackets.Length; j++)
        {
            var b = Brackets[j];
            var field = $"brackets[{j}]";
            var expectedFloor = j == 0 ? 0m : Brackets[j - 1].NotionalCap;
            if (b.NotionalFloor != expectedFloor)
            {
                throw new RiskInputException($"{field}.notional-floor", Guard.Text(b.NotionalFloor), $"must equal the previous cap {Guard.Text(expectedFloor)}");
            }

            if (b.NotionalCap <= b.NotionalFloor)
            {
                throw new RiskInputException($"{field}.notional-cap", Guard.Text(b.NotionalCap), "must exceed the floor");
            }

            if (b.MaintenanceRate <= 0m || b.MaintenanceRate >= 1m)
            {
                throw new RiskInputException($"{field}.maintenance-rate", Guard.Text(b.MaintenanceRate), "must lie in (0, 1)");
            }

            if (j > 0 && b.MaintenanceRate < Brackets[j - 1].MaintenanceRate)
            {
                // A falling rate would make MM concave (a bigger position could need less margin per unit) and break
                // the planner's and the bands' monotonicity arguments.
                throw new RiskInputException($"{field}.maintenance-rate", Guard.Text(b.MaintenanceRate),
                    $"must not fall below brackets[{j - 1}].maintenance-rate {Guard.Text(Brackets[j - 1].MaintenanceRate)}");
            }

            Guard.Positive(b.MaxLeverage, $"{field}.max-leverage");
            if (j > 0 && b.MaxLeverage > Brackets[j - 1].MaxLeverage)
            {
                throw new RiskInputException($"{field}.max-leverage", Guard.Text(b.MaxLeverage),
                    $"must not exceed brackets[{j - 1}].max-leverage {Guard.Text(Brackets[j - 1].MaxLeverage)}");
            }

            initialRate[j] = 1m / b.MaxLeverage;
            // Compared without the rounded reciprocal: 1/L ≥ MMR ⇔ MMR·L ≤ 1.
            if (b.MaintenanceRate * b.MaxLeverage > 1m)
            {
                throw new RiskInputException($"{field}.max-leverage", Guard.Text(b.MaxLeverage), "1/max-leverage must be at least the maintenance rate");
            }

            cum[j] = j == 0 ? 0m : cum[j - 1] + (b.NotionalFloor * (b.MaintenanceRate - Brackets[j - 1].MaintenanceRate));
        }
    }

    /// <summary>The brackets, lowest first.</summary>
    public ImmutableArray<Bracket> Brackets { get; }

    /// <summary>The cum amount (settlement asset) of bracket <paramref name="index"/>.</summary>
    public decimal Cum(int index) => cum[index];

    /// <summary>
    /// IM rate (1 / max leverage, rounded to decimal's 28 digits) of bracket <paramref name="index"/>; informational —
    /// requirements divide notional by the max leverage directly, so 1/3 never becomes 0.333…3.
    /// </summary>
    public decimal InitialRate(int index) => initialRate[index];

    /// <summary>Largest notional the table covers.</summary>
    public decimal MaxNotional => Brackets[^1].NotionalCap;

    /// <summary>Index of the bracket holding <paramref name="notional"/>; throws beyond the last cap.</summary>
    public int IndexOf(decimal notional)
    {
        for (var j = 0; j < Brackets.Length; j++)
        {
            if (notional <= Brackets[j].NotionalCap)
            {
                return j;
            }
        }

        throw new RiskInputException("notional", Guard.Text(notional), $"is beyond the last bracket cap {Guard.Text(MaxNotional)}");
    }

    /// <inheritdoc />
    public override MarginRequirement Requirement(decimal notional, decimal underlyingSize)
    {
        var j = IndexOf(notional);
        return At(j, notional);
    }

    /// <summary>Requirement of <paramref name="notional"/> evaluated with bracket <paramref name="j"/>.</summary>
    public MarginRequirement At(int j, decimal notional)
    {
        var rate = Brackets[j].MaintenanceRate;
        return new MarginRequirement((notional * rate) - cum[j], notional / Brackets[j].MaxLeverage, rate, cum[j], j);
    }

    /// <inheritdoc />
    public override decimal MaxMaintenanceSlope(decimal maxNotional)
    {
        var max = 0m;
        for (var j = 0; j < Brackets.Length; j++)
        {
            max = Math.Max(max, Brackets[j].MaintenanceRate);
            if (Brackets[j].NotionalCap >= maxNotional)
            {
                break;
            }
        }

        return max;
    }

    /// <inheritdoc />
    public override decimal MinMaintenanceRate => Brackets.Min(b => b.MaintenanceRate);

    /// <inheritdoc />
    public bool Equals(BracketTable? other) => other is not null && Brackets.SequenceEqual(other.Brackets);

    /// <inheritdoc />
    public override int GetHashCode() => Brackets.Length;
}
