namespace CrossMargin.Risk.States;

/// <summary>Risk states, ordered from best to worst (the numeric order is meaningful).</summary>
public enum RiskState
{
    /// <summary>Equity ≥ warning-ratio × MM.</summary>
    Healthy = 0,

    /// <summary>Margin call: reduce-only-ratio × MM ≤ equity &lt; warning-ratio × MM.</summary>
    Warning = 1,

    /// <summary>Only risk-reducing orders accepted: liquidation-ratio × MM &lt; equity &lt; reduce-only-ratio × MM.</summary>
    ReduceOnly = 2,

    /// <summary>Being liquidated: equity ≤ liquidation-ratio × MM (inclusive, Binance margin ratio ≥ 100%) (left only at MM·ratio + exit buffer × notional).</summary>
    Liquidating = 3,

    /// <summary>Handed to the backstop: equity &lt; backstop-ratio × MM (Hyperliquid: ⅔ MM).</summary>
    Backstop = 4,

    /// <summary>Equity ≤ 0 with positions, or negative equity: the loss waterfall must run.</summary>
    Bankrupt = 5,
}
