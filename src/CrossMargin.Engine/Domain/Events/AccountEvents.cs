using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;

namespace CrossMargin.Engine.Domain.Events;

/// <summary>A fact journaled by an account (persistence id <c>account-ID</c>); folded by <see cref="AccountLogic.Apply"/>.</summary>
public abstract record AccountEvent;

/// <summary>Input: collateral credited by the user command <paramref name="CommandId"/>.</summary>
/// <param name="CommandId">Id of the command that caused it.</param>
/// <param name="Asset">Asset id.</param>
/// <param name="Amount">Amount in asset units (&gt; 0).</param>
public sealed record Deposited(long CommandId, string Asset, decimal Amount) : AccountEvent;

/// <summary>Input: collateral debited by the user command <paramref name="CommandId"/>.</summary>
/// <param name="CommandId">Id of the command that caused it.</param>
/// <param name="Asset">Asset id.</param>
/// <param name="Amount">Amount in asset units (&gt; 0).</param>
public sealed record Withdrawn(long CommandId, string Asset, decimal Amount) : AccountEvent;

/// <summary>Input (isolated mode): margin moved from the pool to a position before a trade.</summary>
/// <param name="CommandId">Id of the trade command.</param>
/// <param name="Instrument">Instrument.</param>
/// <param name="Amount">Settlement-asset amount.</param>
public sealed record IsolatedMarginMoved(long CommandId, string Instrument, decimal Amount) : AccountEvent;

/// <summary>Input: a user trade filled against <paramref name="Counterparty"/> (both sides journal it).</summary>
/// <param name="CommandId">Id of the trade command.</param>
/// <param name="Instrument">Instrument.</param>
/// <param name="SizeDelta">Signed size change of this account.</param>
/// <param name="Price">Fill price.</param>
/// <param name="Fee">Fee paid (settlement asset).</param>
/// <param name="Counterparty">The other account.</param>
public sealed record TradeFilled(long CommandId, string Instrument, decimal SizeDelta, decimal Price, decimal Fee, long Counterparty) : AccountEvent;

/// <summary>Derived: a liquidation fill of cascade round <paramref name="Round"/> (the market maker journals the mirror fill).</summary>
/// <param name="Round">Global cascade round number.</param>
/// <param name="Instrument">Instrument.</param>
/// <param name="SizeDelta">Signed size change of this account.</param>
/// <param name="Price">Fill price (after market impact).</param>
/// <param name="Fee">Liquidation fee paid (0 for the market maker's side).</param>
/// <param name="Counterparty">The other account.</param>
public sealed record LiquidationFilled(int Round, string Instrument, decimal SizeDelta, decimal Price, decimal Fee, long Counterparty) : AccountEvent;

/// <summary>Derived: the account's risk state changed at simulated time <paramref name="TimeMicros"/>.</summary>
/// <param name="TimeMicros">Simulated time, microseconds since the Unix epoch.</param>
/// <param name="From">Previous state.</param>
/// <param name="To">New state.</param>
/// <param name="MarginRatio">MM / equity at the change; null when equity ≤ 0.</param>
public sealed record RiskStateChanged(long TimeMicros, RiskState From, RiskState To, decimal? MarginRatio) : AccountEvent;

/// <summary>One asset balance.</summary>
/// <param name="Asset">Asset id.</param>
/// <param name="Amount">Balance (asset units).</param>
public sealed record AssetBalance(string Asset, decimal Amount);

/// <summary>
/// Derived: the loss waterfall (close-out, insurance, ADL, socialized loss) of round <paramref name="Round"/> left this
/// account holding exactly <paramref name="Balances"/> and <paramref name="Positions"/>.
/// </summary>
/// <param name="Round">Global cascade round number.</param>
/// <param name="Role"><c>bankrupt</c>, <c>counterparty</c> (ADL or backstop) or <c>payer</c> (socialized loss).</param>
/// <param name="Balances">Balances after, ordered by asset.</param>
/// <param name="Positions">Positions after, ordered by instrument.</param>
public sealed record WaterfallSettled(int Round, string Role, IReadOnlyList<AssetBalance> Balances, IReadOnlyList<Position> Positions) : AccountEvent;
