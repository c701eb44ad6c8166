using CrossMargin.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Actors;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using RiskMarginMode = CrossMargin.Risk.Model.MarginMode;

namespace CrossMargin.Engine.Actors;

/// <summary>
/// One trading account (persistence id <c>account-ID</c>): commands → <see cref="AccountLogic.Decide"/> → persist →
/// <see cref="AccountLogic.Apply"/> → reply; <see cref="MarksChanged"/> → re-margin, bands to the feeds, request or
/// cancel with the coordinator; coordinator events (fills, settlements) persisted as told. Snapshots every
/// <see cref="EngineWiring.SnapshotEvery"/> events and when passivating; recovers from snapshot + later events.
/// </summary>
/// <remarks>
/// Cluster mode: a command or coordinator event that carries a delivery id (it came through a durable inbox) is
/// journaled together with a <see cref="CommandApplied"/> receipt in one atomic write; the account remembers the
/// receipts (recovered from the journal and kept in a <see cref="ClusterAccountSnapshot"/>) and answers a repeated
/// delivery id with the original reply, so at-least-once delivery has its effect exactly once. Without a delivery id
/// nothing of this happens and the journal holds exactly the domain events. <see cref="HandOff"/> snapshots and stops.
/// Reports to the coordinator carry the journal sequence number and the last coordinator event applied (the cluster
/// coordinator's read model needs both); a settlement with a base (<see cref="ApplyCoordinatorEvent.Before"/>) is
/// applied relative to it (<see cref="RebaseSettlement"/>); a re-margin that changes nothing the coordinator knows
/// (no request, none to cancel, no newer journal) is not reported unless <see cref="MarksChanged.Report"/> asks.
/// </remarks>
public sealed class AccountActor : ReceivePersistentActor
{
    private readonly long _id;
    private readonly EngineWiring _w;
    private readonly Dictionary<Guid, CommandApplied> _receipts = new();
    private readonly Queue<Guid> _receiptOrder = new();
    private EngineAccount _state;
    private Guid? _lastCoordinatorEvent;
    private long _reportedVersion = -1;
    private bool _reportedRequest;
    private bool _passivating;
    private bool _handingOff;
    private int _snapshotsOut;

    /// <summary>Creates the shell; <paramref name="mode"/> is the account's margin mode when it has no history.</summary>
    public AccountActor(long id, RiskMarginMode mode, EngineWiring wiring)
    {
        ArgumentNullException.ThrowIfNull(wiring);
        _id = id;
        _w = wiring;
        _state = EngineAccount.Empty(id, mode);
        PersistenceId = EngineIds.Account(id);
        _w.Work.Begin(); // recovery round trip; ended by RecoveryCompleted

        Recover<SnapshotOffer>(o => RecoverSnapshot(o.Snapshot));
        Recover<AccountEvent>(e => _state = AccountLogic.Apply(_state, e, _w.Model));
        Recover<CommandApplied>(Remember);
        Recover<RecoveryCompleted>(_ =>
        {
            _w.Work.End();
            if (_w.PassivateAfter is { } idle)
            {
                Context.SetReceiveTimeout(idle);
            }
        });

        Command<AccountCommandEnvelope>(c => Handle(c.Command, c.DeliveryId));
        Command<PrepareCommand>(c => Sender.Tell(AccountLogic.Decide(_state, c.Command, _w.Model, _w.Board.Prices).Reply));
        Command<MarksChanged>(OnMarks);
        Command<ApplyCoordinatorEvent>(OnCoordinatorEvent);
        Command<GetAccountState>(_ => Sender.Tell(_state));
        Command<HandOff>(OnHandOff);
        Command<ReceiveTimeout>(_ =>
        {
            Context.SetReceiveTimeout(null);
            if (_handingOff)
            {
                return;
            }

            TakeSnapshot();
            _passivating = true;
        });
        Command<SaveSnapshotSuccess>(_ => SnapshotDone());
        Command<SaveSnapshotFailure>(_ => SnapshotDone());
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    private void RecoverSnapshot(object snapshot)
    {
        switch (snapshot)
        {
            case ClusterAccountSnapshot cluster:
                _state = cluster.Account.ToState(_w.Model);
                foreach (var r in cluster.Receipts)
                {
                    Remember(r);
                }

                break;
            default:
                _state = ((AccountSnapshot)snapshot).ToState(_w.Model);
                break;
        }
    }

    private void Remember(CommandApplied receipt)
    {
        if (!_receipts.TryAdd(receipt.DeliveryId, receipt))
        {
            return;
        }

        if (receipt.CommandId == 0)
        {
            // A coordinator event's receipt (user commands carry their command id): reports name the latest one, so a
            // cluster coordinator knows which of the events it sent this state already includes.
            _lastCoordinatorEvent = receipt.DeliveryId;
        }

        _receiptOrder.Enqueue(receipt.DeliveryId);
        while (_receiptOrder.Count > Math.Max(1, _w.ReceiptMemory))
        {
            _receipts.Remove(_receiptOrder.Dequeue());
        }
    }

    private object SnapshotOfState()
    {
        var account = AccountSnapshot.Of(_state);
        if (_receiptOrder.Count == 0)
        {
            return account; // single process: the snapshot it always was
        }

        var receipts = new List<CommandApplied>(_receiptOrder.Count);
        foreach (var id in _receiptOrder)
        {
            receipts.Add(_receipts[id]);
        }

        return new ClusterAccountSnapshot(account, receipts);
    }

    private void TakeSnapshot()
    {
        _w.Work.Begin();
        _snapshotsOut++;
        SaveSnapshot(SnapshotOfState());
    }

    private void SnapshotDone()
    {
        _w.Work.End();
        _snapshotsOut--;
        if (_handingOff)
        {
            if (_snapshotsOut <= 0)
            {
                Context.Stop(Self);
            }

            return;
        }

        if (_passivating)
        {
            // Idle and snapshotted: ask the shard to stop us; it buffers what arrives until we are gone.
            Context.Parent.Tell(new Passivate(_id));
        }
    }

    private void OnHandOff(HandOff h)
    {
        if (_handingOff)
        {
            return;
        }

        // Runs only after every pending persist has completed (commands are stashed while one is in flight).
        _handingOff = true;
        Context.SetReceiveTimeout(null);
        if (h.Snapshot)
        {
            TakeSnapshot();
        }
        else if (_snapshotsOut <= 0)
        {
            Context.Stop(Self);
        }
    }

    private void Handle(AccountCommand command, Guid? deliveryId)
    {
        if (deliveryId is not { } delivery)
        {
            HandleLocal(command);
            return;
        }

        if (_handingOff)
        {
            return; // no reply: the inbox redelivers it to the shard's next owner
        }

        if (_receipts.TryGetValue(delivery, out var seen))
        {
            Sender.Tell(seen.ToReply(_id));
            return;
        }

        var decision = AccountLogic.Decide(_state, command, _w.Model, _w.Board.Prices);
        var receipt = new CommandApplied(delivery, command.CommandId, decision.Reply.Accepted, decision.Reply.Reason);
        var effective = decision.Reply.Accepted && decision.Events.Count > 0;
        var events = new List<object>(decision.Events.Count + 1);
        if (effective)
        {
            events.AddRange(decision.Events);
        }

        events.Add(receipt); // refusals are journaled too: a redelivery gets the original refusal, not a fresh decision
        var sender = Sender;
        PersistEvents(events, () =>
        {
            sender.Tell(decision.Reply);
            if (effective)
            {
                _w.Coordinator.Tell(Updated());
            }
        });
    }

    private void HandleLocal(AccountCommand command)
    {
        var decision = AccountLogic.Decide(_state, command, _w.Model, _w.Board.Prices);
        if (!decision.Reply.Accepted || decision.Events.Count == 0)
        {
            Sender.Tell(decision.Reply);
            return;
        }

        var sender = Sender;
        PersistEvents(decision.Events, () =>
        {
            sender.Tell(decision.Reply);
            _w.Coordinator.Tell(Updated());
        });
    }

    private void OnCoordinatorEvent(ApplyCoordinatorEvent c)
    {
        if (c.DeliveryId is not { } delivery)
        {
            PersistEvents([c.Event], null);
            return;
        }

        if (_handingOff)
        {
            return;
        }

        if (_receipts.ContainsKey(delivery))
        {
            Sender.Tell(new CoordinatorEventApplied(_id, delivery, true));

            // A re-sent event (a coordinator that took over re-ran a round): report anyway, naming this delivery as the
            // last one processed, so the coordinator stops waiting for it (and for everything it sent before it, which
            // reached this account first) and reads the account as it is.
            _lastCoordinatorEvent = delivery;
            _w.Coordinator.Tell(Updated());
            return;
        }

        var e = c.Event is WaterfallSettled settled && c.Before is { } before ? RebaseSettlement(_state.Account, before, settled) : c.Event;
        var sender = Sender;
        PersistEvents([e, new CommandApplied(delivery, 0, true, null)], () =>
        {
            sender.Tell(new CoordinatorEventApplied(_id, delivery, false));
            _w.Coordinator.Tell(Updated());
        });
    }

    /// <summary>
    /// The settlement to journal on <paramref name="current"/> when the coordinator computed <paramref name="after"/>
    /// from <paramref name="before"/>: <paramref name="after"/> itself when nothing changed in between; otherwise the
    /// waterfall's change added to what the account holds now, field by field (balances per asset; a position's size,
    /// cost, realized PnL and isolated margin — all additive, and uPnL is linear in size and cost, so the money the
    /// waterfall moved is moved exactly and what happened in between, a deposit say, is kept).
    /// </summary>
    internal static WaterfallSettled RebaseSettlement(Account current, Account before, WaterfallSettled after)
    {
        if (SameHoldings(current, before))
        {
            return after;
        }

        var balances = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var b in after.Balances)
        {
            balances[b.Asset] = b.Amount;
        }

        foreach (var (asset, amount) in current.Balances)
        {
            balances[asset] = balances.GetValueOrDefault(asset) + amount;
        }

        foreach (var (asset, amount) in before.Balances)
        {
            balances[asset] = balances.GetValueOrDefault(asset) - amount;
        }

        var positions = new SortedDictionary<string, Position>(StringComparer.Ordinal);
        void Add(Position p, int sign)
        {
            var sum = positions.TryGetValue(p.InstrumentId, out var q) ? q : new Position(p.InstrumentId, 0m, 0m);
            positions[p.InstrumentId] = sum with
            {
                Size = sum.Size + (sign * p.Size),
                Cost = sum.Cost + (sign * p.Cost),
                RealizedPnl = sum.RealizedPnl + (sign * p.RealizedPnl),
                IsolatedMargin = sum.IsolatedMargin + (sign * p.IsolatedMargin),
            };
        }

        foreach (var p in after.Positions)
        {
            Add(p, 1);
        }

        foreach (var p in current.Positions.Values)
        {
            Add(p, 1);
        }

        foreach (var p in before.Positions.Values)
        {
            Add(p, -1);
        }

        var kept = positions.Values.Where(p => p.Size != 0m || p.Cost != 0m || p.RealizedPnl != 0m || p.IsolatedMargin != 0m).ToArray();
        return after with { Balances = balances.Select(kv => new AssetBalance(kv.Key, kv.Value)).ToArray(), Positions = kept };
    }

    private static bool SameHoldings(Account a, Account b)
    {
        if (a.Balances.Count != b.Balances.Count || a.Positions.Count != b.Positions.Count)
        {
            return false;
        }

        foreach (var (asset, amount) in a.Balances)
        {
            if (!b.Balances.TryGetValue(asset, out var other) || other != amount)
            {
                return false;
            }
        }

        foreach (var (instrument, p) in a.Positions)
        {
            if (!b.Positions.TryGetValue(instrument, out var other) || other != p)
            {
                return false;
            }
        }

        return true;
    }

    private AccountUpdated Updated()
    {
        // An update does not change the request the coordinator holds (it keeps or drops it at its next round).
        _reportedVersion = LastSequenceNr;
        return new AccountUpdated(_state) { Version = LastSequenceNr, LastCoordinatorEvent = _lastCoordinatorEvent };
    }

    private void OnMarks(MarksChanged m)
    {
        if (_handingOff || !NeedsRemargin(_state))
        {
            return;
        }

        var r = AccountLogic.Remargin(_state, _w.Model, m.Prices, m.TimeMicros);
        var severity = r.Bands.State >= RiskState.Liquidating && _id != _w.MarketMakerId
            ? AccountLogic.Severity(_state, _w.Model, m.Prices)
            : 0m;
        void Publish()
        {
            foreach (var (instrument, band) in r.Bands.Marks)
            {
                _w.Feeds[instrument].Tell(new RegisterBand(_id, band.Low, band.High, false));
            }

            foreach (var (asset, band) in r.Bands.AssetPrices)
            {
                if (_w.AssetFeeds.TryGetValue(asset, out var symbol))
                {
                    _w.Feeds[symbol].Tell(new RegisterBand(_id, band.Low, band.High, true));
                }
            }

            var request = r.Bands.State >= RiskState.Liquidating;
            if (!request && !_reportedRequest && !m.Report && _reportedVersion == LastSequenceNr)
            {
                // Nothing the coordinator does not know: the same state as last reported, and no request to cancel.
                // (Every woken healthy account reporting again flooded a cluster coordinator's inbox.)
                return;
            }

            _reportedVersion = LastSequenceNr;
            _reportedRequest = request;
            _w.Coordinator.Tell(new LiquidationRequest(_state, r.Bands.State, severity, request)
            {
                Version = LastSequenceNr,
                LastCoordinatorEvent = _lastCoordinatorEvent,
            });
        }

        if (r.Changed is { } changed)
        {
            PersistEvents([changed], Publish);
        }
        else
        {
            Publish();
        }
    }

    private void PersistEvents(IReadOnlyList<object> events, Action? afterLast)
    {
        _w.Work.Begin(events.Count);
        var last = events[^1];
        PersistAll(events, e =>
        {
            switch (e)
            {
                case AccountEvent ae:
                    _state = AccountLogic.Apply(_state, ae, _w.Model);
                    _w.Metrics?.OnAccountEvent(_id, ae, _state);
                    break;
                case CommandApplied receipt:
                    Remember(receipt);
                    break;
            }

            if (_w.SnapshotEvery > 0 && LastSequenceNr % _w.SnapshotEvery == 0)
            {
                TakeSnapshot();
            }

            _w.Work.End();
            if (ReferenceEquals(e, last))
            {
                afterLast?.Invoke();
            }
        });
    }

    private static bool NeedsRemargin(EngineAccount state)
    {
        if (state.HasPositions || state.State != RiskState.Healthy)
        {
            return true;
        }

        foreach (var b in state.Account.Balances.Values)
        {
            if (b < 0m)
            {
                return true; // a liability: equity can go negative
            }
        }

        return false;
    }
}
