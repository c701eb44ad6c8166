using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;

namespace CrossMargin.Engine.Actors;

/// <summary>A message for one account; the <see cref="AccountRegion"/> routes it by <see cref="AccountId"/>.</summary>
public interface IAccountMessage
{
    /// <summary>The account it is for.</summary>
    long AccountId { get; }
}

/// <summary>A user command for an account (deposit, withdraw, trade); the account replies a <see cref="CommandReply"/> to the sender.</summary>
/// <param name="Command">The domain command.</param>
public sealed record AccountCommandEnvelope(AccountCommand Command) : IAccountMessage
{
    /// <inheritdoc />
    public long AccountId => Command.AccountId;

    /// <summary>
    /// Delivery id of a command that came through a durable inbox (cluster mode), or null. With an id the account
    /// journals a <see cref="CommandApplied"/> receipt atomically with the command's events (refusals included) and
    /// answers a repeated id with the original reply, never a second effect. Null: the single-process behaviour
    /// (no receipt, the journal is exactly the domain events).
    /// </summary>
    public Guid? DeliveryId { get; init; }
}

/// <summary>Decides a command without persisting it; the account replies the <see cref="CommandReply"/> it would give (two-sided seed trades).</summary>
/// <param name="Command">The domain command.</param>
public sealed record PrepareCommand(AccountCommand Command) : IAccountMessage
{
    /// <inheritdoc />
    public long AccountId => Command.AccountId;
}

/// <summary>The marks moved out of the account's band (or the driver classifies every account): re-margin at <paramref name="Prices"/>.</summary>
/// <param name="AccountId">Account.</param>
/// <param name="Prices">Every mark and asset price now (immutable snapshot).</param>
/// <param name="TimeMicros">Simulated time (µs since the Unix epoch) stamped on a <see cref="RiskStateChanged"/>.</param>
public sealed record MarksChanged(long AccountId, MarketPrices Prices, long TimeMicros) : IAccountMessage
{
    /// <summary>
    /// Report to the coordinator even when nothing changed since the last report (a coordinator asked: its read model
    /// may lack the account). Otherwise an account that neither asks to be liquidated nor did so before, and whose
    /// journal has not moved since its last report, does not report again.
    /// </summary>
    public bool Report { get; init; }
}

/// <summary>An event the liquidation coordinator decided for the account (liquidation fill, waterfall settlement): persist and apply.</summary>
/// <param name="AccountId">Account.</param>
/// <param name="Event">The event.</param>
public sealed record ApplyCoordinatorEvent(long AccountId, AccountEvent Event) : IAccountMessage
{
    /// <summary>
    /// Delivery id when the event came through a durable inbox (cluster mode), or null. With an id the account journals
    /// a <see cref="CommandApplied"/> receipt with the event, applies a repeated id only once, and replies
    /// <see cref="CoordinatorEventApplied"/> to the sender; without one it persists silently (single process).
    /// </summary>
    public Guid? DeliveryId { get; init; }

    /// <summary>
    /// Cluster mode, <see cref="WaterfallSettled"/> only: the account as the coordinator's read model held it when the
    /// waterfall ran (the settlement's base), or null. When the account's own state has moved on since (a deposit that
    /// crossed the settlement in flight), the account applies the settlement's change (after − before) to what it holds
    /// now instead of overwriting it, so nothing in between is lost. Null: the settlement is applied as it is.
    /// </summary>
    public Account? Before { get; init; }
}

/// <summary>
/// Journaled by a cluster's coordinator (manifest <c>CoordinatorDispatched</c>) for every account event a round decided,
/// in the same atomic write as the round's own events, before the event is sent: a round is sent only once it is
/// journaled, and a successor re-sends the dispatches it recovers under the same delivery ids (each applied once). So a
/// coordinator that dies mid-round never leaves accounts holding events its journal lacks, nor the reverse.
/// </summary>
/// <param name="AccountId">Account.</param>
/// <param name="DeliveryId">Inbox command id of the event.</param>
/// <param name="Fill">The event when it is a liquidation fill, else null.</param>
/// <param name="Settlement">The event when it is a waterfall settlement, else null.</param>
/// <param name="BeforeBalances">A settlement's base balances (<see cref="ApplyCoordinatorEvent.Before"/>), else null.</param>
/// <param name="BeforePositions">A settlement's base positions, else null.</param>
public sealed record CoordinatorDispatched(long AccountId, Guid DeliveryId, LiquidationFilled? Fill, WaterfallSettled? Settlement,
    IReadOnlyList<AssetBalance>? BeforeBalances, IReadOnlyList<Position>? BeforePositions);

/// <summary>Account → sender of an <see cref="ApplyCoordinatorEvent"/> that carried a delivery id: the event is journaled (now or before).</summary>
/// <param name="AccountId">Account.</param>
/// <param name="DeliveryId">The delivery id.</param>
/// <param name="Duplicate">True when the id had been applied before and nothing new was journaled.</param>
public sealed record CoordinatorEventApplied(long AccountId, Guid DeliveryId, bool Duplicate);

/// <summary>
/// Journaled by an account (cluster mode only), in the same atomic write as the events a delivered command caused:
/// the delivery id and the reply it got. Recovered on restart (and kept in the cluster snapshot), so a redelivered
/// command is answered with <see cref="ToReply"/> instead of running again. Manifest <c>CommandApplied</c>.
/// </summary>
/// <param name="DeliveryId">The inbox command id.</param>
/// <param name="CommandId">The domain command id (0 for coordinator events).</param>
/// <param name="Accepted">The original outcome.</param>
/// <param name="Reason">The original refusal reason; null when accepted.</param>
public sealed record CommandApplied(Guid DeliveryId, long CommandId, bool Accepted, string? Reason)
{
    /// <summary>The reply the command originally got, for account <paramref name="accountId"/>.</summary>
    public CommandReply ToReply(long accountId) => new(accountId, CommandId, Accepted, Reason);
}

/// <summary>
/// An account's snapshot in cluster mode: the account plus the latest receipts (<see cref="CommandApplied"/>), so
/// duplicate detection survives recovery from a snapshot. Manifest <c>ClusterAccountSnapshot</c>.
/// </summary>
/// <param name="Account">The account.</param>
/// <param name="Receipts">The newest receipts, oldest first (at most <see cref="EngineWiring.ReceiptMemory"/>).</param>
public sealed record ClusterAccountSnapshot(AccountSnapshot Account, IReadOnlyList<CommandApplied> Receipts);

/// <summary>
/// Shard → account: hand off (the shard is moving to another node or this node stops). The account finishes what it
/// is persisting, saves a snapshot when <paramref name="Snapshot"/> is true, then stops itself.
/// </summary>
/// <param name="AccountId">Account.</param>
/// <param name="Snapshot">Save a snapshot first (graceful hand-off); false when the lease is already lost.</param>
public sealed record HandOff(long AccountId, bool Snapshot) : IAccountMessage;

/// <summary>
/// Owner → <see cref="AccountShard"/>: stop every account of the shard (each hands off, see <see cref="HandOff"/>), then
/// reply <see cref="ShardHandedOff"/> and stop. Messages arriving meanwhile are dropped (commands are refused).
/// </summary>
/// <param name="Snapshot">Accounts snapshot before stopping.</param>
public sealed record HandOffShard(bool Snapshot);

/// <summary>Shard → owner: every account of the shard has stopped.</summary>
/// <param name="Accounts">How many account actors were stopped.</param>
public sealed record ShardHandedOff(int Accounts);

/// <summary>Asks an account for its current state; it replies the <see cref="EngineAccount"/>.</summary>
/// <param name="AccountId">Account.</param>
public sealed record GetAccountState(long AccountId) : IAccountMessage;

/// <summary>Sent by an idle account to its shard: stop me after my snapshot (the shard buffers messages meanwhile).</summary>
/// <param name="AccountId">Account.</param>
public sealed record Passivate(long AccountId);

/// <summary>Account → coordinator: the account's state after a command it accepted (the coordinator's read model).</summary>
/// <param name="State">The new state.</param>
public sealed record AccountUpdated(EngineAccount State)
{
    /// <summary>The account's journal sequence number when it reported (a later report never carries a lower one).</summary>
    public long Version { get; init; }

    /// <summary>Delivery id of the last coordinator event the account processed — applied, or recognised as applied before (cluster mode), or null.</summary>
    public Guid? LastCoordinatorEvent { get; init; }
}

/// <summary>Account → coordinator after a re-margin: the state, and whether it wants liquidating (severity = MM/equity) or cancels.</summary>
/// <param name="State">The account's state after the re-margin.</param>
/// <param name="Classified">Risk state the risk core classified.</param>
/// <param name="Severity">Queue severity (0 unless Liquidating or worse).</param>
/// <param name="Request">True: queue a liquidation request; false: cancel any queued one.</param>
public sealed record LiquidationRequest(EngineAccount State, RiskState Classified, decimal Severity, bool Request)
{
    /// <summary>The account's journal sequence number when it reported (a later report never carries a lower one).</summary>
    public long Version { get; init; }

    /// <summary>
    /// Delivery id of the last coordinator event the account processed — applied, or recognised as applied before
    /// (cluster mode), or null. A cluster coordinator queues or cancels only on a report that covers every event it has
    /// sent the account.
    /// </summary>
    public Guid? LastCoordinatorEvent { get; init; }
}

/// <summary>Account → feed: the account's band on the feed's mark (<paramref name="OnIndex"/> false) or on its index (collateral).</summary>
/// <param name="AccountId">Account.</param>
/// <param name="Low">Lower bound (price units).</param>
/// <param name="High">Upper bound.</param>
/// <param name="OnIndex">True for a collateral asset's band on the feed's index.</param>
public sealed record RegisterBand(long AccountId, decimal Low, decimal High, bool OnIndex);

/// <summary>Driver → feed: an index tick. The feed journals it, moves the mark and wakes the accounts whose band it left.</summary>
/// <param name="TimeMicros">Simulated time.</param>
/// <param name="Price">Index price.</param>
public sealed record IndexTick(long TimeMicros, decimal Price)
{
    /// <summary>
    /// Delivery id when the tick came through the feed singleton's durable inbox (cluster mode), or null. With an id the
    /// feed journals a <see cref="CommandApplied"/> receipt with the tick, ignores a repeated id, and replies
    /// <see cref="FeedTickJournaled"/> to the sender; without one it behaves as in one process (no receipt, no reply).
    /// </summary>
    public Guid? DeliveryId { get; init; }
}

/// <summary>Feed → sender of an <see cref="IndexTick"/> with a delivery id: the tick is journaled (now, or before when <paramref name="Duplicate"/>).</summary>
/// <param name="Symbol">Feed symbol.</param>
/// <param name="TimeMicros">Tick time.</param>
/// <param name="Index">The feed's index now.</param>
/// <param name="Mark">The feed's mark now.</param>
/// <param name="Duplicate">True when the delivery id had been journaled before (nothing new was written).</param>
public sealed record FeedTickJournaled(string Symbol, long TimeMicros, decimal Index, decimal Mark, bool Duplicate);

/// <summary>Coordinator → feed: the net liquidation flow of a round; the feed applies the impact and replies <see cref="RoundFlowApplied"/>.</summary>
/// <param name="Round">Round number.</param>
/// <param name="TimeMicros">Simulated time.</param>
/// <param name="NetQuantity">Signed net base quantity.</param>
public sealed record ApplyRoundFlow(int Round, long TimeMicros, decimal NetQuantity)
{
    /// <summary>
    /// Delivery id when the flow came through the feed singleton's inbox (cluster mode), or null. With an id the feed
    /// journals a <see cref="CommandApplied"/> receipt with the impact and answers a repeated id with no impact.
    /// </summary>
    public Guid? DeliveryId { get; init; }
}

/// <summary>Feed → coordinator: the impact event (null when none) and the accounts it woke, ascending.</summary>
/// <param name="Symbol">Feed symbol.</param>
/// <param name="Impact">The journaled impact, or null.</param>
/// <param name="Woken">Accounts whose band the new mark left, ascending.</param>
public sealed record RoundFlowApplied(string Symbol, ImpactApplied? Impact, IReadOnlyList<long> Woken);

/// <summary>Feed → coordinator: a journaled feed event, so the coordinator's quote mirror stays exact.</summary>
/// <param name="Symbol">Feed symbol.</param>
/// <param name="Event">The event.</param>
public sealed record FeedEventJournaled(string Symbol, FeedEvent Event);

/// <summary>Driver → coordinator: journal the insurance fund's opening balance.</summary>
/// <param name="Amount">Fund at start (insurance-fund asset units).</param>
public sealed record SeedInsuranceFund(decimal Amount);

/// <summary>Driver → coordinator: a new tick starts a new cascade (depth back to 0).</summary>
public sealed record EndCascade
{
    /// <summary>The instance.</summary>
    public static EndCascade Instance { get; } = new();
}

/// <summary>Driver → coordinator: run one round at <paramref name="TimeMicros"/>; the coordinator replies <see cref="RoundCompleted"/>.</summary>
/// <param name="TimeMicros">Simulated time.</param>
public sealed record RunRound(long TimeMicros);

/// <summary>Coordinator → driver: what a round did.</summary>
/// <param name="Executed">False when nothing was eligible (the cascade ends).</param>
/// <param name="Actions">Liquidations and bankruptcies executed.</param>
/// <param name="Depth">Cascade depth after the round.</param>
public sealed record RoundCompleted(bool Executed, int Actions, int Depth);

/// <summary>Driver → coordinator: replies the fund, fee pool and seized collateral (<see cref="CoordinatorView"/>).</summary>
public sealed record GetCoordinatorView
{
    /// <summary>The instance.</summary>
    public static GetCoordinatorView Instance { get; } = new();
}

/// <summary>The coordinator's figures at the end of a run.</summary>
/// <param name="InsuranceFund">Insurance fund.</param>
/// <param name="FeePool">Fee pool.</param>
/// <param name="Pending">Queued requests.</param>
/// <param name="SeizedValue">Value, in the settlement asset, of non-settlement collateral seized from bankrupt accounts.</param>
/// <param name="SeizedAmounts">Seized collateral per asset (a copy: safe to read on any thread).</param>
public sealed record CoordinatorView(decimal InsuranceFund, decimal FeePool, int Pending, decimal SeizedValue, IReadOnlyDictionary<string, decimal> SeizedAmounts);
