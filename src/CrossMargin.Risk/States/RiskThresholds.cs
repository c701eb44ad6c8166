using CrossMargin.Risk.Errors;

namespace CrossMargin.Risk.States;

/// <summary>
/// Thresholds as ratios of equity to MM (health = equity / MM; Binance PM uniMMR bands 150% / 120% / 105% / 100%).
/// HOCON: <c>crossmargin.risk.thresholds.*</c>.
/// </summary>
/// <param name="WarningRatio">Below this health the account is in Warning (default 1.5).</param>
/// <param name="ReduceOnlyRatio">Below this, ReduceOnly (default 1.2).</param>
/// <param name="LiquidationRatio">At or below this, Liquidating (default 1.0: equity ≤ MM, inclusive).</param>
/// <param name="BackstopRatio">Below this, Backstop (default ⅔, Hyperliquid).</param>
/// <param name="ExitBufferRate">Leaving Liquidating needs equity ≥ liquidation-ratio·MM + this × notional (Drift: 2%).</param>
public sealed record RiskThresholds(
    decimal WarningRatio = 1.5m,
    decimal ReduceOnlyRatio = 1.2m,
    decimal LiquidationRatio = 1.0m,
    decimal BackstopRatio = 0.6667m,
    decimal ExitBufferRate = 0.02m)
{
    /// <summary>The defaults.</summary>
    public static RiskThresholds Default { get; } = new();

    /// <summary>Checks warning ≥ reduce-only ≥ liquidation &gt; backstop ≥ 0 and a non-negative exit buffer.</summary>
    public RiskThresholds Validate()
    {
        Guard.NonNegative(BackstopRatio, "thresholds.backstop-ratio");
        Guard.NonNegative(ExitBufferRate, "thresholds.exit-buffer-rate");
        if (LiquidationRatio <= BackstopRatio)
        {
            throw new RiskInputException("thresholds.liquidation-ratio", Guard.Text(LiquidationRatio), "must exceed backstop-ratio");
        }

        if (ReduceOnlyRatio < LiquidationRatio)
        {
            throw new RiskInputException("thresholds.reduce-only-ratio", Guard.Text(ReduceOnlyRatio), "must be at least liquidation-ratio");
        }

        if (WarningRatio < ReduceOnlyRatio)
        {
            throw new RiskInputException("thresholds.warning-ratio", Guard.Text(WarningRatio), "must be at least reduce-only-ratio");
        }

        return this;
    }
}
