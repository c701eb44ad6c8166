using CrossMargin.Risk.Errors;

namespace CrossMargin.Risk.Margin;

/// <summary>
/// Deribit's linear-in-size rule: MM = (base MMR + k·size)·notional, IM = (base IMR + k·size)·notional, size in base
/// units (BTC). Source: Deribit, "11 January 2022" margin change: BTC IM = 2% + size·0.005%, MM = 1% + size·0.005%.
/// </summary>
/// <param name="BaseMaintenanceRate">MM rate at size 0 (0.01 for BTC).</param>
/// <param name="BaseInitialRate">IM rate at size 0 (0.02 for BTC).</param>
/// <param name="SizeRate">Rate added per base unit of size (0.00005 for BTC).</param>
/// <param name="MaxSize">Largest size accepted (base units); beyond it the rule throws.</param>
public sealed record LinearInSizeRule(decimal BaseMaintenanceRate, decimal BaseInitialRate, decimal SizeRate, decimal MaxSize) : MarginRule
{
    /// <summary>Deribit BTC parameters (Jan 2022) with a size limit of 10,000 BTC.</summary>
    public static LinearInSizeRule DeribitBtc { get; } = new(0.01m, 0.02m, 0.00005m, 10_000m);

    /// <summary>Checks the parameters (rates in (0, 1), IM ≥ MM, positive size limit).</summary>
    public LinearInSizeRule Validate()
    {
        if (BaseMaintenanceRate <= 0m || BaseMaintenanceRate >= 1m)
        {
            throw new RiskInputException("base-maintenance-rate", Guard.Text(BaseMaintenanceRate), "must lie in (0, 1)");
        }

        if (BaseInitialRate < BaseMaintenanceRate)
        {
            throw new RiskInputException("base-initial-rate", Guard.Text(BaseInitialRate), "must be at least the maintenance rate");
        }

        Guard.NonNegative(SizeRate, "size-rate");
        Guard.Positive(MaxSize, "max-size");
        if (BaseMaintenanceRate + (SizeRate * MaxSize) >= 1m)
        {
            throw new RiskInputException("max-size", Guard.Text(MaxSize), "makes the maintenance rate reach 100%");
        }

        return this;
    }

    /// <inheritdoc />
    public override MarginRequirement Requirement(decimal notional, decimal underlyingSize)
    {
        if (underlyingSize > MaxSize)
        {
            throw new RiskInputException("size", Guard.Text(underlyingSize), $"is beyond the rule's max size {Guard.Text(MaxSize)}");
        }

        var add = SizeRate * underlyingSize;
        var mmr = BaseMaintenanceRate + add;
        return new MarginRequirement(notional * mmr, notional * (BaseInitialRate + add), mmr, 0m, 0);
    }

    /// <inheritdoc />
    /// <remarks>For inverse contracts size equals notional (coin), so MM = a·n + k·n² has slope a + 2k·n.</remarks>
    public override decimal MaxMaintenanceSlope(decimal maxNotional) => BaseMaintenanceRate + (2m * SizeRate * MaxSize);

    /// <inheritdoc />
    public override decimal MinMaintenanceRate => BaseMaintenanceRate;
}
