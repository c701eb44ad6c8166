using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Margin;

namespace CrossMargin.Risk.Model;

/// <summary>A perpetual contract.</summary>
/// <param name="Id">Instrument code, e.g. <c>BTCUSDT</c>.</param>
/// <param name="Kind">Linear or inverse.</param>
/// <param name="Underlying">Base asset whose price the mark tracks (e.g. <c>BTC</c>); scenario shocks move it.</param>
/// <param name="SettlementAsset">Asset PnL and margin are paid in (<c>USDT</c> linear, <c>BTC</c> inverse).</param>
/// <param name="ContractSize">Linear: base units per unit of size (usually 1). Inverse: face value per contract in quote units.</param>
/// <param name="TickSize">Price step (quote per base unit).</param>
/// <param name="LotSize">Size step (base units for linear, contracts for inverse).</param>
/// <param name="Margin">Maintenance/initial rule.</param>
public sealed record InstrumentSpec(
    string Id,
    InstrumentKind Kind,
    string Underlying,
    string SettlementAsset,
    decimal ContractSize,
    decimal TickSize,
    decimal LotSize,
    MarginRule Margin)
{
    /// <summary>Checks sizes are positive and that every maintenance rate exceeds <paramref name="liquidationFeeRate"/>.</summary>
    public InstrumentSpec Validate(decimal liquidationFeeRate)
    {
        Guard.Positive(ContractSize, $"instrument[{Id}].contract-size");
        Guard.Positive(TickSize, $"instrument[{Id}].tick-size");
        Guard.Positive(LotSize, $"instrument[{Id}].lot-size");
        if (Margin is LinearInSizeRule rule)
        {
            rule.Validate();
        }

        // Deribit Jan 2022 / Drift #600: MM must exceed the liquidation fee, or a liquidation can increase risk.
        if (Margin is BracketTable table)
        {
            for (var j = 0; j < table.Brackets.Length; j++)
            {
                if (table.Brackets[j].MaintenanceRate <= liquidationFeeRate)
                {
                    throw new RiskInputException($"instrument[{Id}].margin.brackets[{j}].maintenance-rate", Guard.Text(table.Brackets[j].MaintenanceRate),
                        $"must exceed the liquidation fee rate {Guard.Text(liquidationFeeRate)}");
                }
            }
        }

        if (Margin.MinMaintenanceRate <= liquidationFeeRate)
        {
            throw new RiskInputException($"instrument[{Id}].margin", Guard.Text(Margin.MinMaintenanceRate),
                $"every maintenance rate must exceed the liquidation fee rate {Guard.Text(liquidationFeeRate)}");
        }

        return this;
    }
}
