using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Hocon;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using AccountEvent = CrossMargin.Engine.Domain.Events.AccountEvent;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// <c>crossmargin replay</c>: rebuilds every account, feed and the coordinator by folding the journal's events in
/// ordering order with the same <see cref="AccountLogic.Apply"/>, <see cref="PriceFeed.Recover"/> and coordinator folds
/// the run used, hashes the state (<see cref="StateHasher"/>) and compares it with the hash in <see cref="RunCompleted"/>.
/// The scenario (instruments, mark models, population's margin modes) comes from the configuration text journaled in
/// <see cref="RunStarted"/>. Read-only.
/// </summary>
public sealed class ReplayRunner : IReplayRunner
{
    /// <summary>
    /// Every non-healthy account's worst fate (keyed by account id text, as in <see cref="SimulationReport.AccountFates"/>)
    /// after the last <see cref="ReplayAsync"/>; the replay view lists only the accounts closest to liquidation.
    /// </summary>
    public IReadOnlyDictionary<string, AccountFate> LastFates { get; private set; } = new Dictionary<string, AccountFate>();

    /// <inheritdoc />
    public async Task<ReplayResult> ReplayAsync(ReplayRequest request, IProgress<ReplayProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Journal.Kind == JournalKind.Sqlite && !File.Exists(request.Journal.Location))
        {
            throw new RunInputException($"journal {request.Journal}: no such file");
        }

        await using var handle = await JournalHandle.OpenAsync(request.Journal, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        RunStarted? started = null;
        RunCompleted? completed = null;
        await foreach (var e in handle.Read.CurrentEventsByPersistenceId(EngineIds.Run, 1, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            started ??= e.Event as RunStarted;
            completed = e.Event as RunCompleted ?? completed;
        }

        if (started is null)
        {
            throw new RunInputException($"journal {request.Journal} holds no run (no RunStarted event on persistence id '{EngineIds.Run}')");
        }

        if (started.SchemaVersion != EngineSerialization.SchemaVersion)
        {
            throw new RunInputException($"journal {request.Journal} was written with engine event schema {started.SchemaVersion}; this build reads schema {EngineSerialization.SchemaVersion}");
        }

        var scenario = ScenarioLoader.Load(ConfigurationFactory.ParseString(started.Configuration, "journal:RunStarted"), ScenarioOverrides.None);
        var state = new ReplayModel(scenario);
        long replayed = 0, lastOrdering = 0;
        DateTimeOffset simulated = scenario.StartTime;
        await foreach (var env in handle.Read.CurrentAllEvents(0, cancellationToken).ConfigureAwait(false))
        {
            if (request.To is { Ordering: { } max } && env.Offset > max)
            {
                break;
            }

            if (request.To is { Time: { } until } && env.Timestamp > until.UtcTicks)
            {
                break;
            }

            state.Apply(env.PersistenceId, env.Event);
            replayed++;
            lastOrdering = env.Offset;
            simulated = new DateTimeOffset(env.Timestamp, TimeSpan.Zero);
            if ((replayed & 0xFFFF) == 0)
            {
                progress?.Report(new ReplayProgress(replayed, null));
            }
        }

        progress?.Report(new ReplayProgress(replayed, replayed));
        var hash = state.Hash();
        LastFates = state.Fates.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value);
        var recorded = request.To is null ? completed?.StateHash : null;
        return new ReplayResult(hash, recorded, replayed, state.Actors, 0, state.View(simulated, lastOrdering, request.TopAccounts));
    }

    /// <summary>The folded state of a run.</summary>
    private sealed class ReplayModel
    {
        private readonly EngineModel _model;
        private readonly SortedDictionary<long, EngineAccount> _accounts = new();
        private readonly SortedDictionary<string, PriceFeed> _feeds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _assetsPricedBy = new(StringComparer.Ordinal);
        private readonly LiquidationCoordinatorLogic _coordinator;
        private readonly long _marketMaker;
        private readonly FateTracker _fates;
        private MarketPrices _prices;

        public ReplayModel(Scenario scenario)
        {
            _model = new EngineModel(scenario.Catalog, scenario.Risk);
            _prices = scenario.InitialPrices;
            _marketMaker = scenario.MarketMaker.AccountId;
            _fates = new FateTracker(_marketMaker);
            _coordinator = new LiquidationCoordinatorLogic(new CoordinatorLimits(SettlementAsset: scenario.Coordinator.InsuranceFundAsset));
            foreach (var s in scenario.Population.All())
            {
                _accounts[s.AccountId] = EngineAccount.Empty(s.AccountId, s.AccountId == _marketMaker ? CrossMargin.Risk.Model.MarginMode.Cross : s.Mode);
            }

            foreach (var i in scenario.Instruments)
            {
                _feeds[i.Id] = new PriceFeed(i.Id, i.Spec.TickSize, i.CreateMarkModel(), i.CreateImpactModel(), i.CreateDepthThinning(), i.ImpactHalfLife);
            }

            foreach (var a in scenario.Assets)
            {
                if (a.PriceFeed is { } symbol)
                {
                    if (!_feeds.ContainsKey(symbol))
                    {
                        _feeds[symbol] = new PriceFeed(symbol, a.TickSize, new IndexMarkModel(a.TickSize), null, null);
                    }

                    if (!_assetsPricedBy.TryGetValue(symbol, out var list))
                    {
                        _assetsPricedBy[symbol] = list = new List<string>();
                    }

                    list.Add(a.Id);
                }
            }
        }

        /// <summary>Worst fate per account so far, by the running engine's rule (<see cref="FateTracker"/>).</summary>
        public IReadOnlyDictionary<long, AccountFate> Fates => _fates.Fates;

        public long Actors => _accounts.Count + _feeds.Count + 1;

        public void Apply(string persistenceId, object e)
        {
            switch (e)
            {
                case AccountEvent a when persistenceId.StartsWith("account-", StringComparison.Ordinal):
                    var id = long.Parse(persistenceId.AsSpan("account-".Length), System.Globalization.CultureInfo.InvariantCulture);
                    var after = AccountLogic.Apply(_accounts.TryGetValue(id, out var s) ? s : EngineAccount.Empty(id, CrossMargin.Risk.Model.MarginMode.Cross), a, _model);
                    _accounts[id] = after;
                    _fates.Apply(id, a, after.HasPositions);
                    break;
                case FeedEvent f when persistenceId.StartsWith("feed-", StringComparison.Ordinal):
                    var feed = _feeds[persistenceId["feed-".Length..]];
                    feed.Recover(f);
                    if (_model.Catalog.Instruments.ContainsKey(feed.Symbol))
                    {
                        _prices = _prices.WithMark(feed.Symbol, feed.Mark);
                    }

                    if (_assetsPricedBy.TryGetValue(feed.Symbol, out var assets))
                    {
                        foreach (var asset in assets)
                        {
                            _prices = _prices.WithPrice(asset, feed.Index);
                        }
                    }

                    break;
                case CoordinatorEvent c:
                    _coordinator.Apply(c);
                    break;
            }
        }

        public string Hash() => StateHasher.Hash(_accounts.Values, _feeds.Values.Select(f => (f.Symbol, f.Index, f.Mark, f.ImpactOffset)), _coordinator.InsuranceFund, _coordinator.FeePool);

        public ReplayState View(DateTimeOffset time, long ordering, int top)
        {
            var instruments = _model.Catalog.Instruments.Keys.Select(i =>
            {
                var longs = _accounts.Values.Sum(a => a.Account.Positions.TryGetValue(i, out var p) && p.Size > 0m ? p.Size : 0m);
                var shorts = _accounts.Values.Sum(a => a.Account.Positions.TryGetValue(i, out var p) && p.Size < 0m ? -p.Size : 0m);
                var feed = _feeds[i];
                return new ReplayedInstrument(i, feed.Index, feed.Mark, longs, shorts);
            }).ToList();
            var accounts = _accounts.Values.Where(a => a.Id != _marketMaker && a.HasPositions).Select(a =>
            {
                var r = MarginEngine.Evaluate(a.Account, _model.Catalog, _prices, _model.Risk.Portfolio);
                return new ReplayedAccount(EngineIds.RiskId(a.Id), r.Equity, r.Maintenance, a.Account.Positions.Count, _fates.FateOf(a.Id));
            }).OrderByDescending(a => a.MarginRatio ?? decimal.MaxValue).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(top).ToList();
            return new ReplayState(time, ordering, _coordinator.InsuranceFund, instruments, accounts, _accounts.Count - 1);
        }
    }
}
