using CrossMargin.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Actors;
using CrossMargin.Risk.States;
using RiskMarginMode = CrossMargin.Risk.Model.MarginMode;

namespace CrossMargin.Engine.Actors;

/// <summary>
/// One trading account (persistence id <c>account-ID</c>): commands → <see cref="AccountLogic.Decide"/> → persist →
/// <see cref="AccountLogic.Apply"/> → reply; <see cref="MarksChanged"/> → re-margin, bands to the feeds, request or
/// cancel with the coordinator; coordinator events (fills, settlements) persisted as told. Snapshots every
/// <see cref="EngineWiring.SnapshotEvery"/> events and when passivating; recovers from snapshot + later events.
/// </summary>
public sealed class AccountActor : ReceivePersistentActor
{
    private readonly long _id;
    private readonly EngineWiring _w;
    private EngineAccount _state;
    private bool _passivating;

    /// <summary>Creates the shell; <paramref name="mode"/> is the account's margin mode when it has no history.</summary>
    public AccountActor(long id, RiskMarginMode mode, EngineWiring wiring)
    {
        ArgumentNullException.ThrowIfNull(wiring);
        _id = id;
        _w = wiring;
        _state = EngineAccount.Empty(id, mode);
        PersistenceId = EngineIds.Account(id);
        _w.Work.Begin(); // recovery round trip; ended by RecoveryCompleted

        Recover<SnapshotOffer>(o => _state = ((AccountSnapshot)o.Snapshot).ToState(_w.Model));
        Recover<AccountEvent>(e => _state = AccountLogic.Apply(_state, e, _w.Model));
        Recover<RecoveryCompleted>(_ =>
        {
            _w.Work.End();
            if (_w.PassivateAfter is { } idle)
            {
                Context.SetReceiveTimeout(idle);
            }
        });

        Command<AccountCommandEnvelope>(c => Handle(c.Command));
        Command<PrepareCommand>(c => Sender.Tell(AccountLogic.Decide(_state, c.Command, _w.Model, _w.Board.Prices).Reply));
        Command<MarksChanged>(OnMarks);
        Command<ApplyCoordinatorEvent>(c => PersistEvents([c.Event], null));
        Command<GetAccountState>(_ => Sender.Tell(_state));
        Command<ReceiveTimeout>(_ =>
        {
            Context.SetReceiveTimeout(null);
            _w.Work.Begin();
            SaveSnapshot(AccountSnapshot.Of(_state));
            _passivating = true;
        });
        Command<SaveSnapshotSuccess>(_ => SnapshotDone());
        Command<SaveSnapshotFailure>(_ => SnapshotDone());
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    private void SnapshotDone()
    {
        _w.Work.End();
        if (_passivating)
        {
            // Idle and snapshotted: ask the shard to stop us; it buffers what arrives until we are gone.
            Context.Parent.Tell(new Passivate(_id));
        }
    }

    private void Handle(AccountCommand command)
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
            _w.Coordinator.Tell(new AccountUpdated(_state));
        });
    }

    private void OnMarks(MarksChanged m)
    {
        if (!NeedsRemargin(_state))
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

            _w.Coordinator.Tell(new LiquidationRequest(_state, r.Bands.State, severity, r.Bands.State >= RiskState.Liquidating));
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

    private void PersistEvents(IReadOnlyList<AccountEvent> events, Action? afterLast)
    {
        _w.Work.Begin(events.Count);
        var last = events[^1];
        PersistAll(events, e =>
        {
            _state = AccountLogic.Apply(_state, e, _w.Model);
            _w.Metrics?.OnAccountEvent(_id, e, _state);
            if (_w.SnapshotEvery > 0 && LastSequenceNr % _w.SnapshotEvery == 0)
            {
                _w.Work.Begin();
                SaveSnapshot(AccountSnapshot.Of(_state));
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
