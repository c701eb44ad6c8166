namespace CrossMargin.Risk.States;

/// <summary>Classifies equity against MM with hysteresis on leaving Liquidating. Pure.</summary>
public static class RiskStateMachine
{
    /// <summary>
    /// State for <paramref name="equity"/>, <paramref name="maintenance"/> and <paramref name="notional"/> (valuation
    /// asset), given the <paramref name="previous"/> state: from Liquidating or Backstop an account stays Liquidating
    /// until equity ≥ liquidation-ratio·MM + exit-buffer-rate·notional.
    /// </summary>
    public static RiskState Classify(decimal equity, decimal maintenance, decimal notional, RiskState previous, RiskThresholds t)
    {
        var raw = Raw(equity, maintenance, t);
        if (raw < RiskState.Liquidating && previous is RiskState.Liquidating or RiskState.Backstop && !AtExitLevel(equity, maintenance, notional, t))
        {
            return RiskState.Liquidating;
        }

        return raw;
    }

    /// <summary>State without hysteresis.</summary>
    public static RiskState Raw(decimal equity, decimal maintenance, RiskThresholds t)
    {
        // The common case first: one multiplication decides Healthy (warning-ratio is the largest threshold). When
        // warning-ratio equals liquidation-ratio the inclusive Liquidating edge (equity = ratio·MM) must fall through.
        if ((equity > 0m && equity >= t.WarningRatio * maintenance && (t.WarningRatio > t.LiquidationRatio || maintenance == 0m))
            || (equity == 0m && maintenance == 0m))
        {
            return RiskState.Healthy;
        }

        if (equity < 0m || (equity == 0m && maintenance > 0m))
        {
            return RiskState.Bankrupt;
        }

        if (equity < t.BackstopRatio * maintenance)
        {
            return RiskState.Backstop;
        }

        // Inclusive, as Binance liquidates at a margin ratio (MM / equity) of 100% or more: equity = MM liquidates.
        if (maintenance > 0m && equity <= t.LiquidationRatio * maintenance)
        {
            return RiskState.Liquidating;
        }

        if (equity < t.ReduceOnlyRatio * maintenance)
        {
            return RiskState.ReduceOnly;
        }

        return equity < t.WarningRatio * maintenance ? RiskState.Warning : RiskState.Healthy;
    }

    /// <summary>
    /// True when equity ≥ liquidation-ratio·MM + exit-buffer-rate·notional (the level a liquidation restores) and, since
    /// the Liquidating edge is inclusive, equity &gt; liquidation-ratio·MM when MM &gt; 0 (matters only with a zero buffer).
    /// </summary>
    public static bool AtExitLevel(decimal equity, decimal maintenance, decimal notional, RiskThresholds t) =>
        equity >= ExitLevel(maintenance, notional, t) && (maintenance == 0m || equity > t.LiquidationRatio * maintenance);

    /// <summary>The exit level: liquidation-ratio·MM + exit-buffer-rate·notional.</summary>
    public static decimal ExitLevel(decimal maintenance, decimal notional, RiskThresholds t) =>
        (t.LiquidationRatio * maintenance) + (t.ExitBufferRate * notional);
}
