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
    public LiquidationCoordinatorActor(LiquidationCoordinatorLogic logic, IReadOnlyDictionary<string, PriceFeed> feedMirrors, EngineWiring wiring)
    {
        ArgumentNullException.ThrowIfNull(logic);
        ArgumentNullException.ThrowIfNull(wiring);
        _logic = logic;
        _w = wiring;
        _ports = new Ports(wiring, feedMirrors);
        PersistenceId = EngineIds.Coordinator;
        _w.Work.Begin();
        Recover<CoordinatorEvent>(e => _logic.Apply(e));
        Recover<RecoveryCompleted>(_ => _w.Work.End());

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
        Command<AccountUpdated>(u => _ports.Mirror[u.State.Id] = u.State);
        Command<LiquidationRequest>(r =>
        {
            _ports.Mirror[r.State.Id] = r.State;
            if (r.State.Id == _w.MarketMakerId)
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
        if (_logic.Pending == 0)
        {
            Sender.Tell(new RoundCompleted(false, 0, _logic.Depth));
            return;
        }

        _ports.Buffer.Clear();
        var outcome = _logic.RunRound(r.TimeMicros, _ports);
        if (_ports.Buffer.Count > 0)
        {
            var events = _ports.Buffer.ToArray();
            _w.Work.Begin(events.Length);
            PersistAll(events, e =>
            {
                _w.Metrics?.OnCoordinatorEvent(e);
                _w.Work.End();
            });
        }

        if (!outcome.Executed)
        {
            Sender.Tell(new RoundCompleted(false, 0, _logic.Depth));
            return;
        }

        _round = new RoundInProgress(Sender, r.TimeMicros, outcome.Actions, new SortedSet<long>(outcome.Touched), outcome.NetFlow.Count);
        foreach (var (instrument, quantity) in outcome.NetFlow)
        {
            _w.Feeds[instrument].Tell(new ApplyRoundFlow(_logic.Round, r.TimeMicros, quantity), Self);
        }

        if (outcome.NetFlow.Count == 0)
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

        public Ports(EngineWiring wiring, IReadOnlyDictionary<string, PriceFeed> feeds)
        {
            _w = wiring;
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
            Mirror[id] = AccountLogic.Apply(Mirror[id], e, _w.Model);
            _w.Region.Tell(new ApplyCoordinatorEvent(id, e));
        }

        public void Emit(CoordinatorEvent e) => Buffer.Add(e);

        public PriceFeed? Feed(string instrument) => Feeds.TryGetValue(instrument, out var f) ? f : null;
    }
}
