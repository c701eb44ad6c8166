using System.Collections.Immutable;

namespace CrossMargin.Risk.Liquidation;

/// <summary>What the planner asks for.</summary>
public enum LiquidationKind
{
    /// <summary>Nothing to do (state better than Liquidating).</summary>
    None,

    /// <summary>Reduce positions to restore the exit level (possibly over several rounds).</summary>
    Partial,

    /// <summary>Close everything (Backstop or Bankrupt): then run the loss waterfall.</summary>
    CloseOut,
}

/// <summary>One liquidation order for the coordinator.</summary>
/// <param name="AccountId">Account liquidated.</param>
/// <param name="InstrumentId">Instrument.</param>
/// <param name="SizeDelta">Signed size change (opposite sign to the position), a multiple of the lot.</param>
/// <param name="ReferencePrice">Mark used for sizing (quote per base unit).</param>
/// <param name="Notional">Notional of the order (valuation asset).</param>
/// <param name="ExpectedFee">Liquidation fee at the reference price (settlement asset).</param>
public sealed record LiquidationOrder(string AccountId, string InstrumentId, decimal SizeDelta, decimal ReferencePrice, decimal Notional, decimal ExpectedFee);

/// <summary>A liquidation round.</summary>
/// <param name="Kind">None, partial or close-out.</param>
/// <param name="Orders">Orders in execution order.</param>
/// <param name="RestoresExitLevel">True when executing the orders at the reference prices reaches the exit level.</param>
/// <param name="EquityAfter">Expected equity after the orders (valuation asset).</param>
/// <param name="ExitLevelAfter">Expected exit level after the orders.</param>
/// <param name="Cooldown">Wait before the next round (from the strategy).</param>
public sealed record LiquidationPlan(
    LiquidationKind Kind,
    ImmutableArray<LiquidationOrder> Orders,
    bool RestoresExitLevel,
    decimal EquityAfter,
    decimal ExitLevelAfter,
    TimeSpan Cooldown)
{
    /// <summary>The empty plan.</summary>
    public static LiquidationPlan Nothing { get; } = new(LiquidationKind.None, [], true, 0m, 0m, TimeSpan.Zero);
}
