using System.Diagnostics;
using CrossMargin.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Feeds;
using CrossMargin.Engine.Market;
using CrossMargin.Risk.Model;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Engine.Simulation;
using CrossMargin.Persistence.Configuration;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Snapshot;
using PersistenceExtension = CrossMargin.Persistence.Actors.Persistence;
using RiskMarginMode = CrossMargin.Risk.Model.MarginMode;

namespace CrossMargin.Engine.Actors;

/// <summary>
/// The engine as actors on the kernel's deterministic dispatcher: one <see cref="LiquidationCoordinatorActor"/>, a
/// <see cref="PriceFeedActor"/> per symbol and an <see cref="AccountRegion"/> of persistent <see cref="AccountActor"/>s,
/// journaling through the persistence layer. The driver seeds through the region (commands), and per tick tells the
/// feed, settles, then asks the coordinator for rounds until quiet — the same steps, in the same order, as
/// <see cref="EngineHost"/>. Drive it from one thread; dispose it to stop the actor system.
/// </summary>
/// <remarks>
/// Per persistence id the events are those of <see cref="EngineHost"/>; the interleaving of different persistence ids
/// in the journal follows the order in which writes complete on the journal's threads and is not reproducible.
/// </remarks>
public sealed class ActorEngine : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromDays(1); // virtual time: never fires while the driver settles

    private readonly Scenario _scenario;
    private readonly ActorSystem _system;
    private readonly EngineWiring _w;
    private readonly ActorEngineOptions _options;
    private readonly List<long> _ids;
    private readonly SortedDictionary<string, PriceFeed> _liveFeeds;
    private long _commandId;
    private long _now;

    /// <summary>Builds the actor system for <paramref name="scenario"/> over <paramref name="journal"/> and <paramref name="snapshots"/>.</summary>
    /// <param name="scenario">The loaded scenario.</param>
    /// <param name="journal">Journal to write (a fresh one for a run).</param>
    /// <param name="snapshots">Snapshot store; its serializer must know <see cref="AccountSnapshot"/> (<see cref="RegisterSnapshots"/>).</param>
    /// <param name="options">Knobs; null for the defaults.</param>
    /// <param name="log">Logger for the actor system; null for none.</param>
    public ActorEngine(Scenario scenario, IJournal journal, ISnapshotStore snapshots, ActorEngineOptions? options = null, Serilog.ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        _scenario = scenario;
        _options = options ?? new ActorEngineOptions();
        var risk = scenario.Risk with { Waterfall = scenario.Risk.Waterfall with { BackstopAccountId = EngineIds.RiskId(scenario.MarketMaker.AccountId) } };
        Model = new EngineModel(scenario.Catalog, risk);
        var modes = new SortedDictionary<long, RiskMarginMode>();
        foreach (var s in scenario.Population.All())
        {
            modes[s.AccountId] = s.AccountId == scenario.MarketMaker.AccountId ? RiskMarginMode.Cross : s.Mode;
        }

        _ids = modes.Keys.ToList();
        var assetFeeds = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var assetsPricedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var a in scenario.Assets)
        {
            if (a.PriceFeed is { } symbol)
            {
                assetFeeds[a.Id] = symbol;
                if (!assetsPricedBy.TryGetValue(symbol, out var list))
                {
                    assetsPricedBy[symbol] = list = new List<string>();
                }

                list.Add(a.Id);
            }
        }

        Metrics = new ActorMetricsSink(Model, scenario.MarketMaker.AccountId);
        _w = new EngineWiring(Model, scenario.MarketMaker.AccountId, modes, assetFeeds, new PriceBoard(scenario.InitialPrices), _options.SnapshotEvery)
        {
            Metrics = Metrics,
            PassivateAfter = _options.PassivateAfter,
        };
        _system = ActorSystem.Create("crossmargin-engine", new ActorSystemSetup { Deterministic = true, Logger = log });
        PersistenceExtension.Configure(_system, journal, snapshots, new PersistenceSettings { SnapshotInterval = _options.SnapshotEvery });

        var live = CreateFeeds(scenario, modes.Count + 1);
        _liveFeeds = live;
        var mirrors = CreateFeeds(scenario, 1);
        var coordinator = new LiquidationCoordinatorLogic(new CoordinatorLimits(scenario.Coordinator.MaxRoundsPerTick, null, 32, scenario.Coordinator.InsuranceFundAsset));
        MaxRoundsPerTick = coordinator.Settings.MaxRoundsPerTick;
        foreach (var (symbol, feed) in live)
        {
            var isInstrument = Model.Catalog.Instruments.ContainsKey(symbol);
            IReadOnlyList<string> assets = assetsPricedBy.TryGetValue(symbol, out var l) ? l : [];
            var w = _w;
            _w.Feeds[symbol] = _system.ActorOf(Props.Create(() => new PriceFeedActor(feed, isInstrument, assets, w)), "feed-" + symbol);
        }

        var wiring = _w;
        var shards = _options.Shards;
        _w.Region = _system.ActorOf(Props.Create(() => new AccountRegion(wiring, shards)), "accounts");
        _w.Coordinator = _system.ActorOf(Props.Create(() => new LiquidationCoordinatorActor(coordinator, mirrors, wiring)), "liquidation-coordinator");
        _now = UnixTime.ToMicros(scenario.StartTime);
        Settle();
    }

    /// <summary>Instruments, assets and risk parameters.</summary>
    public EngineModel Model { get; }

    /// <summary>The run's figures (complete after <see cref="Settle"/>).</summary>
    public ActorMetricsSink Metrics { get; }

    /// <summary>The account region (tests send it commands).</summary>
    public IActorRef Region => _w.Region;

    /// <summary>The coordinator.</summary>
    public IActorRef Coordinator => _w.Coordinator;

    /// <summary>The actor system (deterministic).</summary>
    public ActorSystem System => _system;

    /// <summary>Every account id, ascending (market maker included).</summary>
    public IReadOnlyList<long> AccountIds => _ids;

    /// <summary>Most cascade rounds per tick.</summary>
    public int MaxRoundsPerTick { get; }

    /// <summary>Simulated time now.</summary>
    public DateTimeOffset Now => UnixTime.FromMicros(_now);

    /// <summary>Adds the actor engine's snapshot type to <paramref name="serializer"/> (idempotent); call before opening a snapshot store with it.</summary>
    public static EventSerializer RegisterSnapshots(EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        return serializer.IsRegistered(typeof(AccountSnapshot)) ? serializer : serializer.Register<AccountSnapshot>("AccountSnapshot");
    }

    /// <summary>
    /// Runs the loop until no actor has work and no journal round trip is out (writes complete on the journal's threads,
    /// so the loop is run again whenever one lands). Fails with <see cref="TimeoutException"/> when nothing moves for
    /// <see cref="ActorEngineOptions.SettleTimeout"/> (e.g. an actor stopped after a journal failure).
    /// </summary>
    public void Settle()
    {
        var quiet = Stopwatch.StartNew();
        var spin = new SpinWait();
        while (true)
        {
            var turns = _system.RunUntilIdle();
            if (_w.Work.Pending == 0)
            {
                return;
            }

            if (turns > 0)
            {
                quiet.Restart();
                spin.Reset();
            }
            else if (quiet.Elapsed > _options.SettleTimeout)
            {
                throw new TimeoutException($"actor engine did not settle: {_w.Work.Pending} journal round trips still out after {_options.SettleTimeout}");
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Seeds the insurance fund and opens every account through the region: deposits, then matched two-sided trades (both filled or neither).</summary>
    public void Seed()
    {
        _w.Coordinator.Tell(new SeedInsuranceFund(_scenario.Coordinator.InsuranceFundStart));
        var seeds = _scenario.Population.All().OrderBy(s => s.AccountId).ToList();
        var replies = new List<Task<CommandReply>>();
        foreach (var s in seeds)
        {
            foreach (var (asset, amount) in s.Deposits)
            {
                replies.Add(Ask<CommandReply>(new AccountCommandEnvelope(new Deposit(s.AccountId, ++_commandId, asset, amount))));
            }
        }

        Settle();
        Count(replies);
        replies.Clear();

        // The same pairing as EngineHost.Seed: each listed trade fills once, with its mirror on the counterparty.
        foreach (var (accountId, trade, mirror) in _scenario.Population.MatchedTrades())
        {
            Trade(accountId, trade, mirror, replies);
        }

        Settle();
        Count(replies);
    }

    private void Trade(long accountId, SeedTrade t, SeedTrade? mirror, List<Task<CommandReply>> replies)
    {
        var id = ++_commandId;
        var a = new PlaceTrade(accountId, id, t.Instrument, t.Size, t.Price, t.CounterpartyId, t.IsolatedMargin);
        var b = new PlaceTrade(t.CounterpartyId, id, t.Instrument, -t.Size, t.Price, accountId, mirror?.IsolatedMargin ?? 0m);
        if (!_w.Modes.ContainsKey(t.CounterpartyId))
        {
            Metrics.OnRefused(CommandReply.Refuse(a, $"unknown counterparty {t.CounterpartyId}"));
            return;
        }

        // Two-sided: both accounts decide without persisting; only when both accept do both persist.
        var da = Ask<CommandReply>(new PrepareCommand(a));
        var db = Ask<CommandReply>(new PrepareCommand(b));
        Settle();
        if (!da.Result.Accepted || !db.Result.Accepted)
        {
            Metrics.OnRefused(da.Result.Accepted ? db.Result : da.Result);
            return;
        }

        replies.Add(Ask<CommandReply>(new AccountCommandEnvelope(a)));
        replies.Add(Ask<CommandReply>(new AccountCommandEnvelope(b)));
    }

    private void Count(List<Task<CommandReply>> replies)
    {
        foreach (var r in replies)
        {
            if (!r.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("a seed command got no reply after the engine settled");
            }

            if (!r.Result.Accepted)
            {
                Metrics.OnRefused(r.Result);
            }
        }
    }

    /// <summary>Classifies every account at the opening prices (each registers its bands) before the first tick.</summary>
    public void RegisterAll()
    {
        var prices = _w.Board.Prices;
        foreach (var id in _ids)
        {
            _w.Region.Tell(new MarksChanged(id, prices, _now));
        }

        Settle();
    }

    /// <summary>Feeds one tick: the feed journals it and wakes accounts; then cascade rounds run until quiet.</summary>
    /// <returns>False when the tick's symbol has no feed (it is skipped).</returns>
    public bool OnTick(Tick tick)
    {
        if (!_w.Feeds.TryGetValue(tick.Instrument, out var feed))
        {
            return false;
        }

        _now = Math.Max(_now, tick.TimeMicros);
        Metrics.NowMicros = _now;
        Metrics.Metrics.Ticks++;
        feed.Tell(new IndexTick(_now, tick.Price));
        Settle();
        _w.Coordinator.Tell(EndCascade.Instance);
        var rounds = 0;
        while (rounds < MaxRoundsPerTick)
        {
            var reply = Ask<RoundCompleted>(new RunRound(_now), _w.Coordinator);
            Settle();
            var r = reply.Result;
            if (!r.Executed)
            {
                break;
            }

            rounds++;
            Metrics.Metrics.Rounds++;
            Metrics.Metrics.DeepestRound = Math.Max(Metrics.Metrics.DeepestRound, r.Depth);
            if (r.Actions == 0)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>Every account's state as its actor holds it, ascending id.</summary>
    public IReadOnlyList<EngineAccount> Accounts()
    {
        var asks = _ids.Select(id => Ask<EngineAccount>(new GetAccountState(id))).ToList();
        Settle();
        return asks.Select(t => t.Result).ToList();
    }

    /// <summary>The coordinator's fund, fee pool and queue.</summary>
    public CoordinatorView CoordinatorView()
    {
        var t = Ask<CoordinatorView>(GetCoordinatorView.Instance, _w.Coordinator);
        Settle();
        return t.Result;
    }

    private Task<T> Ask<T>(object message, IActorRef? target = null) => (target ?? _w.Region).Ask<T>(message, AskTimeout);

    private static SortedDictionary<string, PriceFeed> CreateFeeds(Scenario scenario, int capacity)
    {
        var feeds = new SortedDictionary<string, PriceFeed>(StringComparer.Ordinal);
        foreach (var i in scenario.Instruments)
        {
            feeds[i.Id] = new PriceFeed(i.Id, i.Spec.TickSize, i.CreateMarkModel(), i.CreateImpactModel(), i.CreateDepthThinning(), i.ImpactHalfLife, capacity);
        }

        foreach (var a in scenario.Assets)
        {
            if (a.PriceFeed is { } symbol && !feeds.ContainsKey(symbol))
            {
                feeds[symbol] = new PriceFeed(symbol, a.TickSize, new IndexMarkModel(a.TickSize), null, null, capacity);
            }
        }

        return feeds;
    }

    /// <summary>Current marks and asset prices.</summary>
    public MarketPrices Prices => _w.Board.Prices;

    /// <summary>
    /// Every feed's index, mark and impact offset, ascending symbol. Read the feed actors' state directly: call only
    /// after <see cref="Settle"/>, from the driving thread (the deterministic loop is not running then).
    /// </summary>
    public IReadOnlyList<(string Symbol, decimal Index, decimal Mark, decimal Offset)> FeedStates() =>
        _liveFeeds.Values.Select(f => (f.Symbol, f.Index, f.Mark, f.ImpactOffset)).ToList();

    /// <summary>Stops the actor system.</summary>
    public void Dispose() => _system.Dispose();
}
