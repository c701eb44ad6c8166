namespace CrossMargin.Risk.Events;

/// <summary>A fact that changed an account; folded by <see cref="AccountFold.Apply"/>. Amounts in asset units.</summary>
public abstract record AccountEvent;

/// <summary>Collateral credited to the pool.</summary>
/// <param name="Asset">Asset id.</param>
/// <param name="Amount">Amount (&gt; 0).</param>
public sealed record CollateralDeposited(string Asset, decimal Amount) : AccountEvent;

/// <summary>Collateral debited from the pool.</summary>
/// <param name="Asset">Asset id.</param>
/// <param name="Amount">Amount (&gt; 0).</param>
public sealed record CollateralWithdrawn(string Asset, decimal Amount) : AccountEvent;

/// <summary>A fill changed a position; realized PnL and the fee settle in the instrument's settlement asset.</summary>
/// <param name="InstrumentId">Instrument.</param>
/// <param name="SizeDelta">Signed size change.</param>
/// <param name="Price">Fill price.</param>
/// <param name="Fee">Fee paid (settlement asset, ≥ 0).</param>
public sealed record PositionFilled(string InstrumentId, decimal SizeDelta, decimal Price, decimal Fee) : AccountEvent;

/// <summary>Isolated mode: margin moved from the pool to a position (negative amount: back to the pool).</summary>
/// <param name="InstrumentId">Instrument.</param>
/// <param name="Amount">Settlement-asset amount.</param>
public sealed record IsolatedMarginAssigned(string InstrumentId, decimal Amount) : AccountEvent;

/// <summary>
/// Money moved by the loss waterfall: negative for a charge (ADL, socialized loss), positive for a credit (insurance
/// fund cover). Isolated accounts book it on <paramref name="InstrumentId"/>'s margin when given.
/// </summary>
/// <param name="Asset">Settlement asset.</param>
/// <param name="Amount">Signed amount.</param>
/// <param name="Reason">Why (insurance, adl, socialized, liquidation-fee).</param>
/// <param name="InstrumentId">Isolated position concerned, if any.</param>
public sealed record BalanceAdjusted(string Asset, decimal Amount, string Reason, string? InstrumentId = null) : AccountEvent;
