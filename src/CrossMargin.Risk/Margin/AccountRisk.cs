using System.Collections.Immutable;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Margin;

/// <summary>One position's terms, all money in the valuation asset (settlement amounts × settlement asset price).</summary>
/// <param name="InstrumentId">Instrument.</param>
/// <param name="Size">Signed size.</param>
/// <param name="Mark">Mark used.</param>
/// <param name="Notional">Notional.</param>
/// <param name="UnrealizedPnl">uPnL at the mark.</param>
/// <param name="Maintenance">MM from the instrument's rule.</param>
/// <param name="Initial">IM from the instrument's rule.</param>
/// <param name="MaintenanceRate">MMR applied.</param>
/// <param name="Bracket">Bracket index (0-based).</param>
/// <param name="IsolatedEquity">Isolated mode: isolated margin + uPnL; null otherwise.</param>
public sealed record PositionRisk(
    string InstrumentId,
    decimal Size,
    decimal Mark,
    decimal Notional,
    decimal UnrealizedPnl,
    decimal Maintenance,
    decimal Initial,
    decimal MaintenanceRate,
    int Bracket,
    decimal? IsolatedEquity);

/// <summary>
/// An account's valuation at one set of prices (valuation asset). Cross/portfolio: equity = Σ_assets
/// haircut((balance + uPnL settled in the asset) × price) — equal to collateral + Σ uPnL when settlement assets have
/// no haircut (USDT). Isolated: equity = pool collateral + Σ max(0, isolated equity) — a position's loss stops at
/// its own margin.
/// </summary>
/// <param name="Mode">Margin mode.</param>
/// <param name="CollateralValue">Σ haircut-weighted pool balances.</param>
/// <param name="UnrealizedPnl">Σ uPnL.</param>
/// <param name="Equity">Margin balance.</param>
/// <param name="Maintenance">Total MM (portfolio: scenario MM).</param>
/// <param name="Initial">Total IM (portfolio: k × MM).</param>
/// <param name="Notional">Σ notional.</param>
/// <param name="Positions">Per-position terms, ordered by instrument id.</param>
public sealed record AccountRisk(
    MarginMode Mode,
    decimal CollateralValue,
    decimal UnrealizedPnl,
    decimal Equity,
    decimal Maintenance,
    decimal Initial,
    decimal Notional,
    ImmutableArray<PositionRisk> Positions)
{
    /// <summary>Binance margin ratio MM / equity; null when equity ≤ 0 (liquidation territory).</summary>
    public decimal? MarginRatio => Equity > 0m ? Maintenance / Equity : null;

    /// <summary>Available margin: equity − IM (cross/portfolio); for isolated, the free pool collateral.</summary>
    public decimal AvailableMargin => Mode == MarginMode.Isolated ? CollateralValue : Equity - Initial;
}
