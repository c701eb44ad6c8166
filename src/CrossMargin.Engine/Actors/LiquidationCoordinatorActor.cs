using CrossMargin.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Actors;
using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Actors;

/// <summary>
/// The one liquidation coordinator (persistence id <c>liquidation-coordinator</c>), hosting
/// <see cref="LiquidationCoordinatorLogic"/>: the severity queue, rounds, the waterfall and ADL. It implements
/// <see cref="ILiquidationPorts"/> with messages: account events it decides are applied to its read model of the
/// accounts (kept current by <see cref="AccountUpdated"/> and <see cref="LiquidationRequest"/>) and sent to the account
/// actors to persist; quotes come from mirrors of the feeds (kept exact by the feeds' journaled events); a round's net
/// flow goes to the feeds, and once all have answered the woken and touched accounts re-margin (ascending id).
/// </summary>
/// <remarks>
/// Cluster mode (<c>deliveryIds</c> given): the read model is only eventually consistent — reports travel through
/// inboxes while the coordinator's own events travel the other way — so every account event gets a stable delivery id
/// and stays <em>pending</em> until a report of the account names it as included (<see cref="AccountUpdated.LastCoordinatorEvent"/>).
/// A report is the base; pending events are folded on top of it, so a report sent before the account applied a
/// settlement can never bring the settled positions back. Reports older than one already read (by
/// <see cref="AccountUpdated.Version"/>, the account's sequence number) are dropped, and a liquidation request or
/// cancel counts only when no event is pending for the account (the account re-margins and reports again once it has
/// applied them): an account is never settled twice from a stale report. Settlements carry their base
/// (<see cref="ApplyCoordinatorEvent.Before"/>) so the account can apply them on top of a deposit that crossed them.
/// </remarks>
public sealed class LiquidationCoordinatorActor : ReceivePersistentActor
{
    private readonly EngineWiring _w;
    private readonly LiquidationCoordinatorLogic _logic;
    private readonly Ports _ports;
    private RoundInProgress? _round;

    /// <summary>Creates the coordinator.</summary>
    /// <param name="logic">The coordinator's state machine (owned by this actor from now on).</param>
    /// <param name="feedMirrors">A fresh <see cref="PriceFeed"/> per symbol, configured like the live feeds (quotes).</param>
    /// <param name="wiring">The engine's wiring.</param>
    /// <param name="deliveryIds">
    /// Cluster mode: the delivery id of the n-th (from 1) event of round r for account a, the same for the same triple
    /// (so a re-run round's events are deduplicated by the accounts); see the remarks. Null in one process: events carry
    /// no id and the read model is exact because the driver settles between rounds.
    /// </param>
    public LiquidationCoordinatorActor(LiquidationCoordinatorLogic logic, IReadOnlyDictionary<string, PriceFeed> feedMirrors, EngineWiring wiring,
        Func<int, long, int, Guid>? deliveryIds = null)
    {
        ArgumentNullException.ThrowIfNull(logic);
        ArgumentNullException.ThrowIfNull(wiring);
        _logic = logic;
        _w = wiring;
        _ports = new Ports(wiring, feedMirrors, deliveryIds);
        PersistenceId = EngineIds.Coordinator;
        _w.Work.Begin();
        Recover<CoordinatorEvent>(e => _logic.Apply(e));
        Recover<CoordinatorDispatched>(d => _ports.Recovered(d));
        Recover<RecoveryCompleted>(_ =>
        {
            // Cluster: the last rounds' events go out again (same ids: an account applies each once), in case the
            // predecessor journaled a round but died before its outbox stored every event.
            _ports.ResendRecovered();
            _w.Work.End();
        });

        Command<SeedInsuranceFund>(s =>
        {
            _w.Work.Begin();
            Persist(new InsuranceFundSeeded(s.Amount), e =>
            {
                _logic.Apply(e);
                _w.Metrics?.OnCoordinatorEvent(e);
                _w.Work.End();
            });
        });
        Command<AccountUpdated>(u => _ports.Report(u.State, u.Version, u.LastCoordinatorEvent));
        Command<LiquidationRequest>(r =>
        {
            var current = _ports.Report(r.State, r.Version, r.LastCoordinatorEvent);
            if (r.State.Id == _w.MarketMakerId || !current)
            {
                return;
            }

            if (r.Request)
            {
                _logic.Request(r.State.Id, r.Classified, r.Severity);
            }
            else
            {
                _logic.Cancel(r.State.Id);
            }
        });
        Command<FeedEventJournaled>(f => _ports.Feeds[f.Symbol].Recover(f.Event));
        Command<EndCascade>(_ => _logic.EndCascade());
        Command<RunRound>(OnRunRound);
        Command<RoundFlowApplied>(OnFlowApplied);
        Command<GetCoordinatorView>(_ => Sender.Tell(new CoordinatorView(_logic.InsuranceFund, _logic.FeePool, _logic.Pending, _logic.SeizedValue,
            new SortedDictionary<string, decimal>(_logic.SeizedAmounts, StringComparer.Ordinal))));
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    private void OnRunRound(RunRound r)
    {
        if (_logic.Pending == 0 || _round is not null)
        {
            // Nothing queued, or (cluster) the previous round still waits for a feed: its caller gave up waiting.
            Sender.Tell(new RoundCompleted(false, 0, _logic.Depth));
            return;
        }

        _ports.Buffer.Clear();
        _ports.NewRound();
        var seizedValue = _logic.SeizedValue;
        var seized = new SortedDictionary<string, decimal>(_logic.SeizedAmounts, StringComparer.Ordinal);
        var outcome = _logic.RunRound(r.TimeMicros, _ports);
        if (_ports.Clustered && _logic.SeizedValue != seizedValue)
        {
            // The value seized collateral brought in is not in any other event: journal it so the cluster's journal
            // audit can check money conservation (one process checks it on the live figures instead).
            var amounts = _logic.SeizedAmounts.Where(kv => kv.Value != seized.GetValueOrDefault(kv.Key))
                .Select(kv => new AssetBalance(kv.Key, kv.Value - seized.GetValueOrDefault(kv.Key))).ToArray();
            _ports.Buffer.Add(new CollateralSeized(_logic.Round, amounts, _logic.SeizedValue - seizedValue));
        }

        var journaling = false;
        if (_ports.Buffer.Count > 0 || _ports.Dispatches.Count > 0)
        {
            journaling = _ports.Clustered;
            // Cluster: the round's account events are journaled with its own events and sent only after the write, so a
            // round is either journaled and sent (a successor re-sends it) or neither (a successor runs it afresh).
            var dispatches = _ports.Dispatches.ToArray();
            _ports.Dispatches.Clear();
            var events = _ports.Buffer.Cast<object>().Concat(dispatches.Select(d => (object)d.Record)).ToArray();
            var last = events[^1];
            _w.Work.Begin(events.Length);
            PersistAll(events, e =>
            {
                if (e is CoordinatorEvent c)
                {
                    _w.Metrics?.OnCoordinatorEvent(c);
                }

                if (ReferenceEquals(e, last))
                {
                    foreach (var d in dispatches)
                    {
                        _w.Region.Tell(d.Message);
                    }

                    if (journaling && _round is { } inProgress)
                    {
                        // The round's re-margins go out after its events, through the same inboxes: an account reports
                        // its request again only once it has applied them.
                        inProgress.Awaiting--;
                        if (inProgress.Awaiting == 0)
                        {
                            FinishRound();
                        }
                    }
                }

                _w.Work.End();
            });
        }

        if (!outcome.Executed)
        {
            Sender.Tell(new RoundCompleted(false, 0, _logic.Depth));
            return;
        }

        _round = new RoundInProgress(Sender, r.TimeMicros, outcome.Actions, new SortedSet<long>(outcome.Touched), outcome.NetFlow.Count + (journaling ? 1 : 0));
        foreach (var (instrument, quantity) in outcome.NetFlow)
        {
            _w.Feeds[instrument].Tell(new ApplyRoundFlow(_logic.Round, r.TimeMicros, quantity), Self);
        }

        if (_round.Awaiting == 0)
        {
            FinishRound();
        }
    }

    private void OnFlowApplied(RoundFlowApplied f)
    {
        if (_round is null)
        {
            return;
        }

        if (f.Impact is { } impact)
        {
            _ports.Feeds[f.Symbol].Recover(impact);
        }

        _round.Wake.UnionWith(f.Woken);
        _round.Awaiting--;
        if (_round.Awaiting == 0)
        {
            FinishRound();
        }
    }

    private void FinishRound()
    {
        var round = _round!;
        _round = null;
        // Every feed has moved: the accounts re-margin at the round's final prices, ascending id (as the direct engine).
        var prices = _w.Board.Prices;
        foreach (var id in round.Wake)
        {
            _w.Region.Tell(new MarksChanged(id, prices, round.TimeMicros));
        }

        round.ReplyTo.Tell(new RoundCompleted(true, round.Actions, _logic.Depth));
    }

    private sealed class RoundInProgress(IActorRef replyTo, long timeMicros, int actions, SortedSet<long> wake, int awaiting)
    {
        public IActorRef ReplyTo { get; } = replyTo;

        public long TimeMicros { get; } = timeMicros;

        public int Actions { get; } = actions;

        public SortedSet<long> Wake { get; } = wake;

        public int Awaiting { get; set; } = awaiting;
    }

    /// <summary>The coordinator's side of <see cref="ILiquidationPorts"/>: a read model of the accounts and feed mirrors.</summary>
    private sealed class Ports : ILiquidationPorts
    {
        private readonly EngineWiring _w;
        private readonly List<long> _ids;
        private readonly Func<int, long, int, Guid>? _deliveryIds;
        private readonly Dictionary<(int Round, long Account), int> _counters = new();
        private readonly Dictionary<long, List<Pending>> _pending = new();
        private readonly Dictionary<long, long> _versions = new();
        private readonly Queue<CoordinatorDispatched> _recovered = new();

        /// <summary>Journaled dispatches a recovered coordinator sends again (the newest ones).</summary>
        private const int ResendMemory = 1000;

        public Ports(EngineWiring wiring, IReadOnlyDictionary<string, PriceFeed> feeds, Func<int, long, int, Guid>? deliveryIds)
        {
            _w = wiring;
            _deliveryIds = deliveryIds;
            Feeds = new SortedDictionary<string, PriceFeed>(feeds.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
            foreach (var (id, mode) in wiring.Modes)
            {
                Mirror[id] = EngineAccount.Empty(id, mode);
            }

            _ids = Mirror.Keys.Order().ToList();
        }

        public Dictionary<long, EngineAccount> Mirror { get; } = new();

        public SortedDictionary<string, PriceFeed> Feeds { get; }

        public List<CoordinatorEvent> Buffer { get; } = new();

        public EngineModel Model => _w.Model;

        public MarketPrices Prices => _w.Board.Prices;

        public IReadOnlyList<long> AccountIds => _ids;

        public EngineAccount Account(long id) => Mirror[id];

        public void Emit(long id, AccountEvent e)
        {
            // Applied here at once so the rest of the round sees it (as in the direct engine); the account persists it.
            var before = Mirror[id];
            Mirror[id] = AccountLogic.Apply(before, e, _w.Model);
            if (_deliveryIds is null)
            {
                _w.Region.Tell(new ApplyCoordinatorEvent(id, e));
                return;
            }

            var round = e switch { LiquidationFilled f => f.Round, WaterfallSettled s => s.Round, _ => 0 };
            var n = _counters[(round, id)] = _counters.GetValueOrDefault((round, id)) + 1;
            var delivery = _deliveryIds(round, id, n);
            var settledFrom = e is WaterfallSettled ? before.Account : null;
            if (!_pending.TryGetValue(id, out var pending))
            {
                _pending[id] = pending = new List<Pending>();
            }

            pending.Add(new Pending(delivery, e, settledFrom));
            var record = new CoordinatorDispatched(id, delivery, e as LiquidationFilled, e as WaterfallSettled,
                settledFrom?.Balances.Select(b => new AssetBalance(b.Key, b.Value)).ToArray(), settledFrom?.Positions.Values.ToArray());
            Dispatches.Add((record, new ApplyCoordinatorEvent(id, e) { DeliveryId = delivery, Before = settledFrom }));
        }

        /// <summary>Cluster: the account events of the round being run, to journal and then send.</summary>
        public List<(CoordinatorDispatched Record, ApplyCoordinatorEvent Message)> Dispatches { get; } = new();

        /// <summary>Recovery: remembers a journaled dispatch (the newest <see cref="ResendMemory"/>).</summary>
        public void Recovered(CoordinatorDispatched d)
        {
            _recovered.Enqueue(d);
            while (_recovered.Count > ResendMemory)
            {
                _recovered.Dequeue();
            }
        }

        /// <summary>After recovery: sends the remembered dispatches again, each pending until a report covers it.</summary>
        public void ResendRecovered()
        {
            while (_recovered.TryDequeue(out var d))
            {
                AccountEvent e = (AccountEvent?)d.Fill ?? d.Settlement ?? throw new InvalidOperationException($"dispatch {d.DeliveryId} holds no event");
                Risk.Model.Account? before = null;
                if (d.BeforeBalances is not null)
                {
                    before = AccountLogic.Apply(EngineAccount.Empty(d.AccountId, Risk.Model.MarginMode.Cross),
                        new WaterfallSettled(0, "before", d.BeforeBalances, d.BeforePositions ?? []), _w.Model).Account;
                }

                if (!_pending.TryGetValue(d.AccountId, out var pending))
                {
                    _pending[d.AccountId] = pending = new List<Pending>();
                }

                pending.Add(new Pending(d.DeliveryId, e, before));
                _w.Region.Tell(new ApplyCoordinatorEvent(d.AccountId, e) { DeliveryId = d.DeliveryId, Before = before });
            }
        }

        /// <summary>True in cluster mode (events carry delivery ids).</summary>
        public bool Clustered => _deliveryIds is not null;

        /// <summary>A new round: its events are numbered from 1 per account.</summary>
        public void NewRound() => _counters.Clear();

        /// <summary>
        /// Reads an account's report into the read model. One process: the report is the state. Cluster: a report older
        /// than one already read is dropped (false); otherwise the events it includes stop being pending and the rest are
        /// folded on top of it. True when the read model now equals the report (nothing pending for the account).
        /// </summary>
        public bool Report(EngineAccount state, long version, Guid? lastCoordinatorEvent)
        {
            var id = state.Id;
            if (_deliveryIds is null)
            {
                Mirror[id] = state;
                return true;
            }

            if (_versions.TryGetValue(id, out var seen) && version < seen)
            {
                return false;
            }

            _versions[id] = version;
            if (!_pending.TryGetValue(id, out var pending) || pending.Count == 0)
            {
                Mirror[id] = state;
                return true;
            }

            // Events reach the account in the order they were sent (one outbox, one inbox per shard): the report includes
            // every pending event up to the one it names, and none after it.
            var included = lastCoordinatorEvent is { } last ? pending.FindIndex(p => p.Delivery == last) : -1;
            if (included >= 0)
            {
                pending.RemoveRange(0, included + 1);
            }

            var view = state;
            foreach (var p in pending)
            {
                view = p.Before is { } before && p.Event is WaterfallSettled settled
                    ? AccountLogic.Apply(view, AccountActor.RebaseSettlement(view.Account, before, settled), _w.Model)
                    : AccountLogic.Apply(view, p.Event, _w.Model);
            }

            Mirror[id] = view;
            return pending.Count == 0;
        }

        public void Emit(CoordinatorEvent e) => Buffer.Add(e);

        public PriceFeed? Feed(string instrument) => Feeds.TryGetValue(instrument, out var f) ? f : null;

        /// <summary>An event sent to an account that no report has included yet, with the base of a settlement.</summary>
        private sealed record Pending(Guid Delivery, AccountEvent Event, Risk.Model.Account? Before);
    }
}
