namespace CrossMargin.Engine.Domain.Events;

/// <summary>A fact journaled by the liquidation coordinator (persistence id <c>liquidation-coordinator</c>).</summary>
public abstract record CoordinatorEvent;

/// <summary>The insurance fund was seeded at the start of the run.</summary>
/// <param name="Amount">Initial balance (settlement asset).</param>
public sealed record InsuranceFundSeeded(decimal Amount) : CoordinatorEvent;

/// <summary>
/// Non-settlement collateral that a round's waterfalls seized off bankrupt accounts (sold at market value: the
/// accounts got the haircut value, the fund the discount). Journaled only by a cluster's coordinator, after the round's
/// other events, so that an audit folding the journal sees the value that entered the settlement asset; one process
/// keeps the figure in memory (<see cref="LiquidationCoordinatorLogic.SeizedValue"/>) and its journal is unchanged.
/// </summary>
/// <param name="Round">Global round number.</param>
/// <param name="Amounts">Seized amount per asset (asset units), ascending asset id.</param>
/// <param name="Value">Their market value in the settlement asset.</param>
public sealed record CollateralSeized(int Round, IReadOnlyList<AssetBalance> Amounts, decimal Value) : CoordinatorEvent;

/// <summary>A cascade round started: <paramref name="Depth"/> 1 is set off by a price tick, n+1 by round n's impact.</summary>
/// <param name="Round">Global round number (1, 2, … over the run).</param>
/// <param name="Depth">Depth within the current cascade.</param>
/// <param name="TimeMicros">Simulated time.</param>
/// <param name="Requests">Liquidation requests queued at the start of the round.</param>
public sealed record CascadeRoundStarted(int Round, int Depth, long TimeMicros, int Requests) : CoordinatorEvent;

/// <summary>A partial liquidation order executed against the market maker.</summary>
/// <param name="Round">Global round number.</param>
/// <param name="AccountId">Account liquidated.</param>
/// <param name="Instrument">Instrument.</param>
/// <param name="SizeDelta">Signed size change of the account.</param>
/// <param name="Price">Fill price after impact.</param>
/// <param name="Notional">|size| × contract size × price (quote units).</param>
/// <param name="Fee">Fee paid.</param>
/// <param name="InsuranceFund">Fund after the fee.</param>
/// <param name="FeePool">Fee pool after the fee.</param>
public sealed record LiquidationExecuted(int Round, long AccountId, string Instrument, decimal SizeDelta, decimal Price, decimal Notional, decimal Fee, decimal InsuranceFund, decimal FeePool) : CoordinatorEvent;

/// <summary>A bankrupt account (or isolated position) resolved by the loss waterfall.</summary>
/// <param name="Round">Global round number.</param>
/// <param name="AccountId">Account.</param>
/// <param name="Instrument">Isolated position resolved; null for the whole (cross) account.</param>
/// <param name="Notional">Notional closed out.</param>
/// <param name="Deficit">Loss beyond collateral (bad debt).</param>
/// <param name="Fee">Fee taken from a positive remainder.</param>
/// <param name="Insurance">Paid by the insurance fund.</param>
/// <param name="AdlFills">ADL fills.</param>
/// <param name="AdlNotional">ADL notional at the mark.</param>
/// <param name="AdlCharged">Charged to ADL counterparties.</param>
/// <param name="Socialized">Spread as socialized loss.</param>
/// <param name="Unassigned">Left unassigned (must be 0 for the invariant).</param>
/// <param name="InsuranceFund">Fund after.</param>
/// <param name="FeePool">Fee pool after.</param>
public sealed record BankruptcyResolved(int Round, long AccountId, string? Instrument, decimal Notional, decimal Deficit, decimal Fee, decimal Insurance,
    int AdlFills, decimal AdlNotional, decimal AdlCharged, decimal Socialized, decimal Unassigned, decimal InsuranceFund, decimal FeePool) : CoordinatorEvent;
