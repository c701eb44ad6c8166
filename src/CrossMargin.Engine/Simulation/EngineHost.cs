using System.Globalization;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using AccountEvent = CrossMargin.Engine.Domain.Events.AccountEvent;
using RiskMarginMode = CrossMargin.Risk.Model.MarginMode;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// The deterministic in-process engine: account, feed and coordinator state machines wired by direct, ordered
/// delivery (one total order: tick → feed → woken accounts in id order → cascade rounds), journaling every event
/// through a <see cref="JournalWriter"/>. Single-threaded; the same scenario and seed give the same journal.
/// </summary>
public sealed class EngineHost : ILiquidationPorts
{
    private readonly Scenario _scenario;
    private readonly JournalWriter _journal;
    private readonly SimulationClock _clock;
    private readonly Serilog.ILogger? _log;
    private readonly Dictionary<long, EngineAccount> _accounts = new();
    private readonly List<long> _ids = new();
    private readonly SortedDictionary<string, PriceFeed> _feeds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _assetsPricedBy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _assetFeed = new(StringComparer.Ordinal);

    // Lookups on the re-margin path (every band an account registers): hashed, where _feeds is ordered for iteration.
    private readonly Dictionary<string, PriceFeed> _feedOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PriceFeed> _assetFeedOf = new(StringComparer.Ordinal);
    private readonly HolderIndex _holders = new();

    // Persistence ids of the accounts, made once each: an id string per journaled event was a steady share of allocation.
    private readonly Dictionary<long, string> _accountPids = new();
    private const int ParallelThreshold = 32;
    private readonly List<long> _woken = new();
    private readonly List<long> _batch = new();
    private Remargined[] _results = new Remargined[64];
    private long _commandId;
    private long _now;

    /// <summary>Builds the engine for <paramref name="scenario"/>.</summary>
    /// <param name="scenario">Population, instruments, risk and coordinator settings.</param>
    /// <param name="journal">Where every event goes.</param>
    /// <param name="clock">Simulated time, set from each tick.</param>
    /// <param name="log">Liquidations and bankruptcies are logged here (one line each); null for none.</param>
    /// <param name="maxActionsPerRound">Cap on fills and waterfalls per cascade round (<see cref="CoordinatorLimits.MaxActionsPerRound"/>); null for none.</param>
    public EngineHost(Scenario scenario, JournalWriter journal, SimulationClock clock, Serilog.ILogger? log = null, int? maxActionsPerRound = null)
    {
        _scenario = scenario;
        _journal = journal;
        _clock = clock;
        _log = log;
        var risk = scenario.Risk with { Waterfall = scenario.Risk.Waterfall with { BackstopAccountId = EngineIds.RiskId(scenario.MarketMaker.AccountId) } };
        Model = new EngineModel(scenario.Catalog, risk);
        Prices = scenario.InitialPrices;
        Coordinator = new LiquidationCoordinatorLogic(new CoordinatorLimits(scenario.Coordinator.MaxRoundsPerTick, null, 32, scenario.Coordinator.InsuranceFundAsset, maxActionsPerRound));
        var capacity = scenario.Population.Count + 1;
        foreach (var i in scenario.Instruments)
        {
            _feeds[i.Id] = new PriceFeed(i.Id, i.Spec.TickSize, i.CreateMarkModel(), i.CreateImpactModel(), i.CreateDepthThinning(), i.ImpactHalfLife, capacity);
        }

        foreach (var a in scenario.Assets)
        {
            if (a.PriceFeed is { } symbol)
            {
                if (!_feeds.ContainsKey(symbol))
                {
                    _feeds[symbol] = new PriceFeed(symbol, a.TickSize, new IndexMarkModel(a.TickSize), null, null, capacity);
                }

                _assetFeed[a.Id] = symbol;
                if (!_assetsPricedBy.TryGetValue(symbol, out var list))
                {
                    _assetsPricedBy[symbol] = list = new List<string>();
                }

                list.Add(a.Id);
            }
        }

        foreach (var (symbol, feed) in _feeds)
        {
            _feedOf[symbol] = feed;
        }

        foreach (var (asset, symbol) in _assetFeed)
        {
            _assetFeedOf[asset] = _feeds[symbol];
        }

        _now = UnixTime.ToMicros(scenario.StartTime);
    }

    /// <inheritdoc />
    public EngineModel Model { get; }

    /// <inheritdoc />
    public MarketPrices Prices { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<long> AccountIds => _ids;

    /// <summary>The coordinator.</summary>
    public LiquidationCoordinatorLogic Coordinator { get; }

    /// <summary>Figures so far.</summary>
    public RunMetrics Metrics { get; } = new();

    /// <summary>Feeds by symbol.</summary>
    public IReadOnlyDictionary<string, PriceFeed> Feeds => _feeds;

    /// <summary>Simulated time now.</summary>
    public DateTimeOffset Now => UnixTime.FromMicros(_now);

    /// <summary>Every risk-state transition in order (account, time, from, to) when recording is on (differential tests).</summary>
    public List<(long Account, long TimeMicros, RiskState From, RiskState To)>? Transitions { get; set; }

    /// <summary>Band wake-ups caused by ticks so far (an account woken by two bands of one tick counts twice): what a tick's cost should follow.</summary>
    public long WokenByTicks { get; private set; }

    /// <summary>Account re-margins so far (ticks, cascade rounds and the first classification), each one band computation.</summary>
    public long Remargins { get; private set; }

    /// <summary>
    /// Called on this engine's thread after each account event is journaled and applied (account id, event); for
    /// measurements (the load test's fill timing). Must not call back into the engine. Null: none.
    /// </summary>
    public Action<long, AccountEvent>? AccountEventObserved { get; set; }

    /// <summary>
    /// Set when ticks are fed through <see cref="OnTickDeferringCascade"/>: an account queued for liquidation keeps no
    /// price bands until its round, because the round re-values it before acting (and cancels it if it recovered), so
    /// waking it on every price move while it waits would only re-decide what is decided. Off (the default), every
    /// account keeps its bands, as the deterministic simulation's journal expects.
    /// </summary>
    public bool QueuedAccountsWaitForRound { get; init; }

    /// <summary>When true every account re-margins on every tick (the reference the band index is tested against).</summary>
    public bool RemarginEveryAccount { get; set; }

    /// <inheritdoc />
    public EngineAccount Account(long id) => _accounts[id];

    /// <inheritdoc />
    public IEnumerable<(long Id, Position Position)> Holders(string instrument, int side) => _holders.Of(instrument, side);

    /// <inheritdoc />
    public HolderIndex? HolderIndex => _holders;

    /// <inheritdoc />
    public PriceFeed? Feed(string instrument) => _feedOf.TryGetValue(instrument, out var f) ? f : null;

    /// <summary>Handles one user command: decides, persists and applies the events, and returns the reply (unknown account → refusal).</summary>
    public CommandReply Handle(AccountCommand command)
    {
        if (!_accounts.TryGetValue(command.AccountId, out var state))
        {
            return CommandReply.Refuse(command, $"unknown account {command.AccountId}");
        }

        var decision = AccountLogic.Decide(state, command, Model, Prices);
        foreach (var e in decision.Events)
        {
            Emit(command.AccountId, e);
        }

        return decision.Reply;
    }

    /// <summary>Seeds the insurance fund and opens every account of the population: deposits, then matched trades.</summary>
    public void Seed()
    {
        var fund = new InsuranceFundSeeded(_scenario.Coordinator.InsuranceFundStart);
        Coordinator.Apply(fund);
        _journal.Append(EngineIds.Coordinator, fund);
        Metrics.Observe(fund, Now);
        var seeds = _scenario.Population.All().OrderBy(s => s.AccountId).ToList();
        foreach (var s in seeds)
        {
            var mode = s.AccountId == _scenario.MarketMaker.AccountId ? RiskMarginMode.Cross : s.Mode;
            _accounts[s.AccountId] = EngineAccount.Empty(s.AccountId, mode);
            _ids.Add(s.AccountId);
        }

        foreach (var s in seeds)
        {
            foreach (var (asset, amount) in s.Deposits)
            {
                Reply(Handle(new Deposit(s.AccountId, ++_commandId, asset, amount)));
            }
        }

        // Every trade is listed on both sides: pair them, check both sides' initial margin, then fill both or neither.
        foreach (var (accountId, trade, mirror) in _scenario.Population.MatchedTrades())
        {
            Trade(accountId, trade, mirror);
        }
    }

    private void Trade(long accountId, SeedTrade t, SeedTrade? mirror)
    {
        var id = ++_commandId;
        var a = new PlaceTrade(accountId, id, t.Instrument, t.Size, t.Price, t.CounterpartyId, t.IsolatedMargin);
        var b = new PlaceTrade(t.CounterpartyId, id, t.Instrument, -t.Size, t.Price, accountId, mirror?.IsolatedMargin ?? 0m);
        if (!_accounts.ContainsKey(t.CounterpartyId))
        {
            Reply(CommandReply.Refuse(a, $"unknown counterparty {t.CounterpartyId}"));
            return;
        }

        var da = AccountLogic.Decide(_accounts[accountId], a, Model, Prices);
        var db = AccountLogic.Decide(_accounts[t.CounterpartyId], b, Model, Prices);
        if (!da.Reply.Accepted || !db.Reply.Accepted)
        {
            Reply(da.Reply.Accepted ? db.Reply : da.Reply);
            return;
        }

        foreach (var e in da.Events)
        {
            Emit(accountId, e);
        }

        foreach (var e in db.Events)
        {
            Emit(t.CounterpartyId, e);
        }
    }

    private void Reply(CommandReply reply)
    {
        if (!reply.Accepted)
        {
            Metrics.RefusedCommands++;
            if (Metrics.Refusals.Count < 10)
            {
                Metrics.Refusals.Add($"account {reply.AccountId} command {reply.CommandId}: {reply.Reason}");
            }
        }
    }

    /// <summary>Classifies every account at the opening prices and registers its bands (before the first tick).</summary>
    public void RegisterAll()
    {
        _woken.Clear();
        _woken.AddRange(_ids);
        RemarginAll(_woken);
    }

    /// <summary>
    /// <see cref="RegisterAll()"/> in slices of ascending account ids, stopping between slices once
    /// <paramref name="cancellationToken"/> is cancelled (accounts not reached are left unregistered). Same events and
    /// registrations as the one-call form when it runs to the end.
    /// </summary>
    /// <param name="cancellationToken">Checked before each slice.</param>
    /// <param name="slice">Accounts per slice, 1 or more.</param>
    /// <returns>False when cancelled before every account was classified.</returns>
    public bool RegisterAll(CancellationToken cancellationToken, int slice = 4_096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slice, 1);
        for (var start = 0; start < _ids.Count; start += slice)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            _woken.Clear();
            for (var i = start; i < Math.Min(_ids.Count, start + slice); i++)
            {
                _woken.Add(_ids[i]);
            }

            RemarginAll(_woken);
        }

        return true;
    }

    /// <summary>Feeds one tick: the feed journals it, woken accounts re-margin, then cascade rounds run until quiet.</summary>
    /// <returns>False when the tick's symbol has no feed (it is skipped).</returns>
    public bool OnTick(Tick tick)
    {
        if (Observe(tick) is not { } feed)
        {
            return false;
        }

        Coordinator.EndCascade();
        var rounds = 0;
        while (Coordinator.Pending > 0 && rounds < Coordinator.Settings.MaxRoundsPerTick && RunRound())
        {
            rounds++;
        }

        Record(feed);
        return true;
    }

    /// <summary>
    /// Feeds one tick without running cascade rounds: the feed journals it and the accounts it woke re-margin, so their
    /// margin decisions (state changes, liquidation requests queued by severity) are made now. The rounds run later, one
    /// at a time, through <see cref="RunPendingRound"/>, interleaved with the next ticks: a live engine keeps margin
    /// decisions current while a cascade is worked off. <see cref="OnTick"/> (rounds to quiet on the triggering tick)
    /// is the deterministic simulation's order.
    /// </summary>
    /// <returns>False when the tick's symbol has no feed (it is skipped).</returns>
    public bool OnTickDeferringCascade(Tick tick)
    {
        if (Coordinator.Pending == 0)
        {
            Coordinator.EndCascade(); // the cascade under way (if any) has been worked off: the next one starts at depth 1
        }

        if (Observe(tick) is not { } feed)
        {
            return false;
        }

        Record(feed);
        return true;
    }

    /// <summary>Runs one cascade round over the queued liquidation requests, at the time of the last tick.</summary>
    /// <returns>False when nothing ran (no request queued, or none eligible yet because of cooldowns).</returns>
    public bool RunPendingRound() => Coordinator.Pending > 0 && RunRound();

    /// <summary>Liquidation requests waiting for a round.</summary>
    public int PendingLiquidations => Coordinator.Pending;

    /// <summary>Journals the tick on its feed, updates prices and re-margins the accounts whose bands it left.</summary>
    private PriceFeed? Observe(Tick tick)
    {
        if (!_feedOf.TryGetValue(tick.Instrument, out var feed))
        {
            return null;
        }

        _now = Math.Max(_now, tick.TimeMicros);
        _clock.Set(Now);
        var e = feed.OnIndex(_now, tick.Price);
        _journal.Append(feed.PersistenceId, e);
        Metrics.Ticks++;
        _woken.Clear();
        UpdatePrices(feed);
        feed.Bands.Wake(feed.Mark, _woken);
        feed.AssetBands.Wake(feed.Index, _woken);
        WokenByTicks += _woken.Count;
        if (RemarginEveryAccount)
        {
            _woken.Clear();
            _woken.AddRange(_ids);
        }

        RemarginAll(_woken);
        return feed;
    }

    private void UpdatePrices(PriceFeed feed)
    {
        if (Model.Catalog.Instruments.ContainsKey(feed.Symbol))
        {
            Prices = Prices.WithMark(feed.Symbol, feed.Mark);
        }

        if (_assetsPricedBy.TryGetValue(feed.Symbol, out var assets))
        {
            foreach (var a in assets)
            {
                Prices = Prices.WithPrice(a, feed.Index);
            }
        }
    }

    private void Record(PriceFeed feed)
    {
        if (!Metrics.Index.TryGetValue(feed.Symbol, out var index))
        {
            Metrics.Index[feed.Symbol] = index = new SeriesRecorder();
            Metrics.Mark[feed.Symbol] = new SeriesRecorder();
        }

        index.Add(Now, feed.Index);
        Metrics.Mark[feed.Symbol].Add(Now, feed.Mark);
    }

    /// <summary>One round: fills and waterfalls, their market impact, then the re-margin of every account they touched or woke.</summary>
    /// <returns>False when the round did nothing (nothing eligible, or no action taken).</returns>
    private bool RunRound()
    {
        var outcome = Coordinator.RunRound(_now, this);
        if (!outcome.Executed)
        {
            return false;
        }

        Metrics.Rounds++;
        Metrics.DeepestRound = Math.Max(Metrics.DeepestRound, Coordinator.Depth);
        _woken.Clear();
        foreach (var (instrument, qty) in outcome.NetFlow)
        {
            var feed = _feedOf[instrument];
            if (feed.OnRoundFlow(Coordinator.Round, _now, qty) is { } impact)
            {
                _journal.Append(feed.PersistenceId, impact);
                UpdatePrices(feed);
                feed.Bands.Wake(feed.Mark, _woken);
                Record(feed);
            }
        }

        _woken.AddRange(outcome.Touched);
        RemarginAll(_woken);
        return outcome.Actions > 0;
    }

    private void RemarginAll(List<long> ids)
    {
        ids.Sort();
        _batch.Clear();
        var last = long.MinValue;
        foreach (var id in ids)
        {
            if (id != last)
            {
                last = id;
                if (NeedsRemargin(_accounts[id]))
                {
                    _batch.Add(id);
                }
            }
        }

        Remargins += _batch.Count;
        if (_results.Length < _batch.Count)
        {
            _results = new Remargined[Math.Max(_batch.Count, _results.Length * 2)];
        }

        // The pure part (valuation and bands) runs in parallel on large wake-ups; its results are applied in account-id
        // order on this thread, so events, registrations and queue order are the same as a sequential run.
        if (_batch.Count >= ParallelThreshold)
        {
            Parallel.For(0, _batch.Count, i => _results[i] = Compute(_batch[i]));
        }
        else
        {
            for (var i = 0; i < _batch.Count; i++)
            {
                _results[i] = Compute(_batch[i]);
            }
        }

        for (var i = 0; i < _batch.Count; i++)
        {
            Commit(_batch[i], _results[i]);
            _results[i] = default;
        }

    }

    private void Remargin(long id)
    {
        var state = _accounts[id];
        if (NeedsRemargin(state))
        {
            Commit(id, Compute(id));
        }
    }

    private static bool NeedsRemargin(EngineAccount state) =>
        state.HasPositions || state.State != RiskState.Healthy || HasLiability(state); // else equity cannot go negative

    private Remargined Compute(long id)
    {
        var state = _accounts[id];
        var r = AccountLogic.Remargin(state, Model, Prices, _now);
        var severity = r.Bands.State >= RiskState.Liquidating && id != _scenario.MarketMaker.AccountId
            ? r.Severity // from the same valuation as the bands
            : 0m;
        return new Remargined(r, severity);
    }

    private void Commit(long id, Remargined result)
    {
        var r = result.Result;
        if (r.Changed is { } changed)
        {
            Emit(id, changed);
        }

        if (QueuedAccountsWaitForRound && id != _scenario.MarketMaker.AccountId && r.Bands.State >= RiskState.Liquidating)
        {
            foreach (var (instrument, _) in r.Bands.Marks)
            {
                _feedOf[instrument].Bands.Remove(id);
            }

            foreach (var (asset, _) in r.Bands.AssetPrices)
            {
                if (_assetFeedOf.TryGetValue(asset, out var feed))
                {
                    feed.AssetBands.Remove(id);
                }
            }

            Coordinator.Request(id, r.Bands.State, result.Severity);
            return;
        }

        foreach (var (instrument, band) in r.Bands.Marks)
        {
            _feedOf[instrument].Bands.Register(id, band.Low, band.High);
        }

        foreach (var (asset, band) in r.Bands.AssetPrices)
        {
            if (_assetFeedOf.TryGetValue(asset, out var feed))
            {
                feed.AssetBands.Register(id, band.Low, band.High);
            }
        }

        if (id == _scenario.MarketMaker.AccountId)
        {
            return;
        }

        if (r.Bands.State >= RiskState.Liquidating)
        {
            Coordinator.Request(id, r.Bands.State, result.Severity);
        }
        else
        {
            Coordinator.Cancel(id);
        }
    }

    private readonly record struct Remargined(RemarginResult Result, decimal Severity);

    private static bool HasLiability(EngineAccount state)
    {
        foreach (var b in state.Account.Balances.Values)
        {
            if (b < 0m)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public void Emit(long id, AccountEvent e)
    {
        var before = _accounts[id];
        var after = AccountLogic.Apply(before, e, Model);
        _accounts[id] = after;
        if (!ReferenceEquals(before.Account.Positions, after.Account.Positions))
        {
            _holders.Update(id, before.Account.Positions, after.Account.Positions);
        }

        ref var pid = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_accountPids, id, out _);
        _journal.Append(pid ??= EngineIds.Account(id), e);
        AccountEventObserved?.Invoke(id, e);
        switch (e)
        {
            case Deposited d:
                Metrics.NetDeposits[d.Asset] = (Metrics.NetDeposits.TryGetValue(d.Asset, out var dep) ? dep : 0m) + d.Amount;
                break;
            case Withdrawn w:
                Metrics.NetDeposits[w.Asset] = (Metrics.NetDeposits.TryGetValue(w.Asset, out var wd) ? wd : 0m) - w.Amount;
                break;
            case RiskStateChanged s:
                Transitions?.Add((id, s.TimeMicros, s.From, s.To));
                if (s.To == RiskState.Warning && s.From < RiskState.Warning)
                {
                    Metrics.MarginCalls++;
                    Metrics.Fate(id, AccountFate.MarginCalled);
                }
                else if (s.To > RiskState.Warning)
                {
                    Metrics.Fate(id, AccountFate.MarginCalled);
                }

                break;
            case LiquidationFilled f when id != _scenario.MarketMaker.AccountId:
                Metrics.Liquidations++;
                var spec = Model.Catalog.Instrument(f.Instrument);
                Metrics.LiquidationNotional += Math.Abs(PositionMath.Notional(spec, f.SizeDelta, f.Price));
                Metrics.LiquidationRate.Record(Now);
                Metrics.Fate(id, _accounts[id].HasPositions ? AccountFate.PartiallyLiquidated : AccountFate.Liquidated);
                _log?.Information("liquidation {Account} {Instrument} size {Size} at {Price} round {Round}", id, f.Instrument, f.SizeDelta, f.Price, f.Round);
                break;
            case WaterfallSettled w when w.Role == "bankrupt":
                Metrics.Fate(id, AccountFate.Bankrupt);
                break;
            case WaterfallSettled w when w.Role == "counterparty" && id != _scenario.MarketMaker.AccountId:
                Metrics.Fate(id, AccountFate.Deleveraged);
                break;
        }
    }

    /// <inheritdoc />
    public void Emit(CoordinatorEvent e)
    {
        _journal.Append(EngineIds.Coordinator, e);
        Metrics.Observe(e, Now);
        if (e is BankruptcyResolved b)
        {
            _log?.Information("bankruptcy {Account} round {Round}: deficit {Deficit}, insurance {Insurance}, ADL {Adl}, socialized {Socialized}", b.AccountId, b.Round, b.Deficit, b.Insurance, b.AdlCharged, b.Socialized);
        }
    }

    /// <summary>Margin ratio inputs (MM, equity) of every trading account, for the histograms.</summary>
    public IEnumerable<(decimal MaintenanceMargin, decimal Equity)> MarginInputs()
    {
        foreach (var id in _ids)
        {
            if (id == _scenario.MarketMaker.AccountId)
            {
                continue;
            }

            var risk = MarginEngine.Evaluate(_accounts[id].Account, Model.Catalog, Prices, Model.Risk.Portfolio);
            yield return (risk.Maintenance, risk.Equity);
        }
    }

    /// <summary>Every account state, ascending id.</summary>
    public IEnumerable<EngineAccount> Accounts() => _ids.Select(id => _accounts[id]);
}
