using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Hocon;
using CrossMargin.Risk.Margin;
using CrossMargin.Persistence.Query;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Snapshot;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Snapshot;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using AccountEvent = CrossMargin.Engine.Domain.Events.AccountEvent;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// <c>crossmargin replay</c>: rebuilds every account, feed and the coordinator from the journal with the same
/// <see cref="AccountLogic.Apply"/>, <see cref="PriceFeed.Recover"/> and coordinator folds the run used, hashes the state
/// (<see cref="StateHasher"/>) and compares it with the hash in <see cref="RunCompleted"/>. When the journal holds
/// account snapshots (actor-engine runs), each such account starts from its latest snapshot at or below the target and
/// folds only the events after it; every other persistence id folds from its first event. The scenario (instruments,
/// mark models, population's margin modes) comes from the configuration text journaled in <see cref="RunStarted"/>.
/// Read-only: never writes to the journal or the snapshot store.
/// </summary>
/// <remarks>
/// Folding per persistence id gives the same state as folding in journal order: an account's, a feed's and the
/// coordinator's folds each read only their own events. Fates of an account restored from a snapshot are derived from
/// the snapshot's risk state and the events after it (the history before the snapshot is not read); replay with
/// <see cref="ReplayRequest.UseSnapshots"/> off for complete fates.
/// </remarks>
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

        await using var handle = await JournalHandle.OpenAsync(request.Journal, TimeProvider.System, cancellationToken, create: false).ConfigureAwait(false);
        var (started, completed) = await ReadRunAsync(handle, request, cancellationToken).ConfigureAwait(false);
        var scenario = ScenarioLoader.Load(ConfigurationFactory.ParseString(started.Configuration, "journal:RunStarted"), ScenarioOverrides.None);
        var state = new ReplayModel(scenario);
        var fold = new Fold(state, request.To, progress);
        var withSnapshots = request.UseSnapshots && request.Journal.Kind != JournalKind.InMemory
            ? await SnapshotIndex.PersistenceIdsAsync(request.Journal, cancellationToken).ConfigureAwait(false)
            : [];
        if (withSnapshots.Count == 0)
        {
            await foreach (var env in handle.Read.CurrentAllEvents(0, cancellationToken).ConfigureAwait(false))
            {
                if (!fold.Apply(env))
                {
                    break;
                }
            }
        }
        else
        {
            await FoldFromSnapshotsAsync(handle, request, withSnapshots, fold, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report(new ReplayProgress(fold.Replayed, fold.Replayed));
        var hash = state.Hash();
        LastFates = state.Fates.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value);
        var recorded = request.To is null ? completed?.StateHash : null;
        return new ReplayResult(hash, recorded, fold.Replayed, state.Actors, fold.Snapshots,
            state.View(fold.LastTime ?? scenario.StartTime, fold.LastOrdering, request.TopAccounts));
    }

    private static async Task<(RunStarted Started, RunCompleted? Completed)> ReadRunAsync(JournalHandle handle, ReplayRequest request, CancellationToken cancellationToken)
    {
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

        // One journal (SQLite file, PostgreSQL schema) holds one run: --run names it, and a journal holding another is refused.
        if (request.RunId is { } wanted && !string.Equals(wanted, started.RunId, StringComparison.Ordinal))
        {
            throw new RunInputException($"--run {wanted}: journal {request.Journal} holds run '{started.RunId}', not '{wanted}' (a journal holds one run; its run id is in `crossmargin journal show run`)");
        }

        if (started.SchemaVersion != EngineSerialization.SchemaVersion)
        {
            throw new RunInputException($"journal {request.Journal} was written with engine event schema {started.SchemaVersion}; this build reads schema {EngineSerialization.SchemaVersion}");
        }

        return (started, completed);
    }

    /// <summary>Per persistence id: the latest usable snapshot (accounts that have one), then the events after it, within the bound.</summary>
    private static async Task FoldFromSnapshotsAsync(JournalHandle handle, ReplayRequest request, IReadOnlyList<string> withSnapshots, Fold fold, CancellationToken cancellationToken)
    {
        var serializer = Actors.ActorEngine.RegisterSnapshots(handle.Serializer);
        var snapshotted = new HashSet<string>(withSnapshots, StringComparer.Ordinal);
        var ids = new List<string>();
        await foreach (var id in handle.Read.CurrentPersistenceIds(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(id);
        }

        ids.Sort(StringComparer.Ordinal);
        await using var store = await SqlSnapshotStore.OpenAsync(
            new SqlJournalOptions(request.Journal.Kind == JournalKind.Sqlite ? SqlBackend.Sqlite : SqlBackend.Postgres, request.Journal.Location),
            serializer, cancellationToken).ConfigureAwait(false);
        foreach (var id in ids)
        {
            long from = 1;
            if (snapshotted.Contains(id) && fold.Model.TryAccount(id, out var accountId)
                && await LatestUsableAsync(handle, store, id, request.To, cancellationToken).ConfigureAwait(false) is { } found)
            {
                fold.Restore(accountId, found.Snapshot, found.At);
                from = found.At.SequenceNr + 1;
            }

            await foreach (var env in handle.Read.CurrentEventsByPersistenceId(id, from, long.MaxValue, cancellationToken).ConfigureAwait(false))
            {
                if (!fold.Apply(env))
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The newest snapshot of <paramref name="persistenceId"/> whose event (the one at its sequence number) lies within
    /// <paramref name="to"/>, with that event; null when there is none (or it cannot be read: the events then say all).
    /// </summary>
    private static async Task<(Actors.AccountSnapshot Snapshot, EventEnvelope At)?> LatestUsableAsync(JournalHandle handle, ISnapshotStore store, string persistenceId,
        ReplayPoint? to, CancellationToken cancellationToken)
    {
        var max = long.MaxValue;
        while (max > 0)
        {
            SelectedSnapshot? selected;
            try
            {
                selected = await store.LoadAsync(persistenceId, SnapshotSelectionCriteria.UpTo(max), cancellationToken).ConfigureAwait(false);
            }
            catch (EventDeserializationException)
            {
                return null; // a snapshot type this build does not read (e.g. a newer format): fold the events instead
            }

            if (selected is null || selected.Snapshot is not Actors.AccountSnapshot snapshot)
            {
                return null;
            }

            EventEnvelope? at = null;
            var seq = selected.Metadata.SequenceNr;
            await foreach (var env in handle.Read.CurrentEventsByPersistenceId(persistenceId, seq, seq, cancellationToken).ConfigureAwait(false))
            {
                at = env;
            }

            if (at is null)
            {
                return null; // a snapshot beyond the journal's events: not trustworthy, fold the events
            }

            if (Fold.Within(at, to))
            {
                return (snapshot, at);
            }

            max = seq - 1;
        }

        return null;
    }

    /// <summary>Applies events within a bound and keeps the counters of a replay.</summary>
    private sealed class Fold(ReplayModel model, ReplayPoint? to, IProgress<ReplayProgress>? progress)
    {
        public ReplayModel Model { get; } = model;

        public long Replayed { get; private set; }

        public long Snapshots { get; private set; }

        public long LastOrdering { get; private set; }

        public DateTimeOffset? LastTime { get; private set; }

        public static bool Within(EventEnvelope env, ReplayPoint? to) =>
            !(to is { Ordering: { } max } && env.Offset > max) && !(to is { Time: { } until } && env.Timestamp > until.UtcTicks);

        /// <summary>Folds <paramref name="env"/> when within the bound; false (nothing applied) when past it.</summary>
        public bool Apply(EventEnvelope env)
        {
            if (!Within(env, to))
            {
                return false;
            }

            Model.Apply(env.PersistenceId, env.Event);
            Replayed++;
            Seen(env);
            if ((Replayed & 0xFFFF) == 0)
            {
                progress?.Report(new ReplayProgress(Replayed, null));
            }

            return true;
        }

        public void Restore(long accountId, Actors.AccountSnapshot snapshot, EventEnvelope at)
        {
            Model.Restore(accountId, snapshot);
            Snapshots++;
            Seen(at);
        }

        private void Seen(EventEnvelope env)
        {
            if (env.Offset >= LastOrdering)
            {
                LastOrdering = env.Offset;
                LastTime = new DateTimeOffset(env.Timestamp, TimeSpan.Zero);
            }
        }
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

        /// <summary>The account id of an <c>account-ID</c> persistence id of this run.</summary>
        public bool TryAccount(string persistenceId, out long id)
        {
            id = 0;
            return persistenceId.StartsWith("account-", StringComparison.Ordinal)
                && long.TryParse(persistenceId.AsSpan("account-".Length), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out id)
                && _accounts.ContainsKey(id);
        }

        /// <summary>Sets an account to the state its snapshot holds; a snapshot at Warning or worse counts as a margin call for its fate.</summary>
        public void Restore(long id, Actors.AccountSnapshot snapshot)
        {
            var state = snapshot.ToState(_model);
            _accounts[id] = state;
            if (state.State >= RiskState.Warning)
            {
                _fates.Apply(id, new RiskStateChanged(0, RiskState.Healthy, state.State, null), state.HasPositions);
            }
        }

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
