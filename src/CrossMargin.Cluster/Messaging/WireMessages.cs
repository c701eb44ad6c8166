using CrossMargin.Engine.Domain.Events;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;

namespace CrossMargin.Cluster.Messaging;

/// <summary>A message for one account: the inbox of the account's shard carries it.</summary>
public interface IAccountWireMessage
{
    /// <summary>The account it is for.</summary>
    long AccountId { get; }
}

/// <summary>
/// Coordinator → account (through the shard inbox): a liquidation fill of a cascade round to journal and apply. Applied
/// exactly once per inbox command id. Type <c>liquidation-fill@v1</c>; reply <see cref="EventAppliedReply"/>.
/// </summary>
/// <param name="AccountId">Account.</param>
/// <param name="Fill">The fill.</param>
public sealed record LiquidationFillMessage(long AccountId, LiquidationFilled Fill) : IAccountWireMessage;

/// <summary>
/// Coordinator → account: the waterfall's outcome for this account (bankrupt close-out, ADL counterparty, socialized
/// loss payer). Type <c>waterfall-settled@v1</c>; reply <see cref="EventAppliedReply"/>.
/// </summary>
/// <param name="AccountId">Account.</param>
/// <param name="Settlement">The settlement: the balances and positions the waterfall left the account with.</param>
/// <param name="Before">
/// Optional (field <c>before</c>, absent or null in older payloads): the balances and positions the coordinator's read
/// model held when the waterfall ran. With it, an account whose holdings moved since (a deposit that crossed the
/// settlement) applies the waterfall's change (settlement − before) to what it holds now; without it the settlement
/// replaces the holdings as they are.
/// </param>
public sealed record WaterfallSettledMessage(long AccountId, WaterfallSettled Settlement, AccountHoldings? Before = null) : IAccountWireMessage;

/// <summary>An account's balances and positions (the base a waterfall settlement was computed from).</summary>
/// <param name="Balances">Balances by asset, ascending asset id.</param>
/// <param name="Positions">Positions, ascending instrument id.</param>
public sealed record AccountHoldings(IReadOnlyList<AssetBalance> Balances, IReadOnlyList<Position> Positions);

/// <summary>
/// Mark update: re-margin the account at the owning node's current prices (stamped <paramref name="TimeMicros"/>).
/// Type <c>remargin@v1</c>; reply <see cref="AccountView"/> after the re-margin.
/// </summary>
/// <param name="AccountId">Account.</param>
/// <param name="TimeMicros">Simulated time (µs since the Unix epoch) for a journaled risk-state change.</param>
public sealed record RemarginMessage(long AccountId, long TimeMicros) : IAccountWireMessage;

/// <summary>Read an account's state. Type <c>get-account@v1</c>; reply <see cref="AccountView"/>.</summary>
/// <param name="AccountId">Account.</param>
public sealed record GetAccountMessage(long AccountId) : IAccountWireMessage;

/// <summary>
/// An index tick for the price feed singleton of <paramref name="Symbol"/> (inbox <c>singleton-feed-SYMBOL</c>).
/// Type <c>index-tick@v1</c>; reply <see cref="TickAccepted"/>.
/// </summary>
/// <param name="Symbol">Feed symbol.</param>
/// <param name="TimeMicros">Tick time (µs since the Unix epoch).</param>
/// <param name="Price">Index price.</param>
public sealed record IndexTickMessage(string Symbol, long TimeMicros, decimal Price);

/// <summary>Reply to a coordinator event: journaled now, or already before (<paramref name="Duplicate"/>). Type <c>event-applied@v1</c>.</summary>
/// <param name="AccountId">Account.</param>
/// <param name="Duplicate">True when the command id had been applied before (nothing new was journaled).</param>
public sealed record EventAppliedReply(long AccountId, bool Duplicate);

/// <summary>An account as its owner holds it. Type <c>account@v1</c>.</summary>
/// <param name="AccountId">Account.</param>
/// <param name="State">Last journaled risk state.</param>
/// <param name="Balances">Balances by asset, ascending asset id.</param>
/// <param name="Positions">Non-flat and flat positions as held, ascending instrument id.</param>
public sealed record AccountView(long AccountId, RiskState State, IReadOnlyList<AssetBalance> Balances, IReadOnlyList<Position> Positions);

/// <summary>Reply of the feed singleton: the tick is journaled; the feed's mark after it. Type <c>tick-accepted@v1</c>.</summary>
/// <param name="Symbol">Feed symbol.</param>
/// <param name="TimeMicros">Tick time.</param>
/// <param name="Index">Index after the tick.</param>
/// <param name="Mark">Mark after the tick.</param>
public sealed record TickAccepted(string Symbol, long TimeMicros, decimal Index, decimal Mark);

/// <summary>
/// The reply when a message could not be handled at all (unknown type, malformed payload, unknown account, wrong
/// shard). Type <c>error@v1</c>.
/// </summary>
/// <param name="Code">Stable code: <c>unknown-type</c>, <c>malformed</c>, <c>unknown-account</c>, <c>wrong-target</c>, <c>failed</c>.</param>
/// <param name="Message">What was wrong, naming the type, field or account.</param>
public sealed record MessageError(string Code, string Message);

/// <summary>
/// Account → coordinator singleton (inbox <c>singleton-coordinator</c>): the account's state after a re-margin, and
/// whether it asks to be liquidated (severity = MM/equity) or cancels. Type <c>liquidation-request@v1</c>; reply <see cref="Ack"/>.
/// </summary>
/// <param name="State">The account's state.</param>
/// <param name="Classified">Risk state the risk core classified.</param>
/// <param name="Severity">Queue severity (0 unless Liquidating or worse).</param>
/// <param name="Request">True: queue a liquidation; false: cancel any queued one.</param>
/// <param name="Version">
/// Optional (field <c>version</c>, 0 when absent): the account's journal sequence number at the report; the coordinator
/// drops a report older than one it has read.
/// </param>
/// <param name="LastCoordinatorEvent">
/// Optional (field <c>lastCoordinatorEvent</c>, null when absent): the inbox command id of the last coordinator event
/// (fill, settlement) the account processed (applied, or answered as a duplicate); the coordinator acts on a request only
/// when it covers every event sent.
/// </param>
public sealed record LiquidationRequestMessage(Engine.Actors.AccountSnapshot State, RiskState Classified, decimal Severity, bool Request, long Version = 0, Guid? LastCoordinatorEvent = null);

/// <summary>Account → coordinator singleton: the account's state after a command it accepted. Type <c>account-updated@v1</c>; reply <see cref="Ack"/>.</summary>
/// <param name="State">The account's state.</param>
/// <param name="Version">Optional: as in <see cref="LiquidationRequestMessage"/>.</param>
/// <param name="LastCoordinatorEvent">Optional: as in <see cref="LiquidationRequestMessage"/>.</param>
public sealed record AccountUpdatedMessage(Engine.Actors.AccountSnapshot State, long Version = 0, Guid? LastCoordinatorEvent = null);

/// <summary>
/// Coordinator → price feed singleton: a cascade round's net liquidation flow on the feed's instrument (applied once
/// per command id). Type <c>round-flow@v1</c>; reply <see cref="RoundFlowReply"/>.
/// </summary>
/// <param name="Symbol">Feed symbol.</param>
/// <param name="Round">Round number.</param>
/// <param name="TimeMicros">Simulated time.</param>
/// <param name="NetQuantity">Signed net base quantity.</param>
public sealed record RoundFlowMessage(string Symbol, int Round, long TimeMicros, decimal NetQuantity);

/// <summary>Feed → coordinator: the impact journaled for a round's flow, or null when none (or a repeated command id). Type <c>round-flow-applied@v1</c>.</summary>
/// <param name="Symbol">Feed symbol.</param>
/// <param name="Impact">The impact event, or null.</param>
public sealed record RoundFlowReply(string Symbol, ImpactApplied? Impact);

/// <summary>A plain acknowledgement. Type <c>ack@v1</c>.</summary>
/// <param name="Accepted">True.</param>
public sealed record Ack(bool Accepted);
