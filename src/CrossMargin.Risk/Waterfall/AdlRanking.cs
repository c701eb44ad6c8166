namespace CrossMargin.Risk.Waterfall;

/// <summary>How auto-deleveraging picks counterparties.</summary>
public enum AdlRanking
{
    /// <summary>BitMEX queue: PnL% × effective leverage (PnL% ÷ leverage when losing), highest first.</summary>
    BitMex,

    /// <summary>Binance queue: max(0, uPnL)/max(1, WB) × MM/(WB + uPnL), highest first.</summary>
    Binance,

    /// <summary>Pro-rata: every opposite position deleveraged in proportion to its positive uPnL (size if none is positive).</summary>
    ProRata,
}
