using System.Globalization;
using CrossMargin.Cluster.Node;
using CrossMargin.Cluster.Operations.LoadGen;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Engine.Simulation;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Risk.Model;

namespace CrossMargin.Cluster.Operations.Audit;

/// <summary>
/// Checks a cluster's PostgreSQL journal after a run (the failover tests, <c>cluster loadgen --verify</c>): folds every
/// event in ordering order with the engine's own folds, then checks
/// <list type="bullet">
/// <item><c>acknowledged-not-lost</c>: every acknowledged command's event is in its stream;</item>
/// <item><c>applied-at-most-once</c>: no command id (per account and event type) and no tick time (per feed) appears twice;</item>
/// <item><c>contiguous-sequence-numbers</c> (<see cref="JournalVerifier"/>);</item>
/// <item><c>money-conservation</c>, <c>open-interest-balance</c>, <c>no-unassigned-loss</c> (<see cref="Invariants"/>);</item>
/// <item><c>writer-epochs-never-go-back</c>: along each stream's sequence numbers the fencing epoch in the rows'
/// writer id (<c>node/incarnation/epoch</c>) never decreases, i.e. no stale owner wrote after a newer one.</item>
/// </list>
/// Read only. The scenario must be the one the nodes ran (it gives the instruments, margin modes and mark models).
/// </summary>
public static class ClusterJournalAudit
{
    private const string UnassignedLoss = "no-unassigned-loss";

    /// <summary>The audit's outcome.</summary>
    /// <param name="Invariants">Every check that must hold, with its evidence.</param>
    /// <param name="Advisory">
    /// Checks reported but not required: <c>no-unassigned-loss</c> when no liquidation coordinator ran in the cluster (no
    /// coordinator events in the journal), since then nothing liquidates an account whose equity a falling market takes
    /// below zero.
    /// </param>
    /// <param name="Events">Events read.</param>
    /// <param name="PersistenceIds">Streams read.</param>
    public sealed record Result(IReadOnlyList<InvariantResult> Invariants, IReadOnlyList<InvariantResult> Advisory, long Events, int PersistenceIds)
    {
        /// <summary>True when every required check held.</summary>
        public bool AllHeld => Invariants.All(i => i.Passed);

        /// <summary>The check named <paramref name="name"/> (required or advisory).</summary>
        public InvariantResult Check(string name) => Invariants.Concat(Advisory).First(i => i.Name == name);

        /// <summary>One line per check: <c>ok   name: evidence</c>, <c>FAIL name: evidence</c>, or <c>note name: evidence</c> for a failed advisory check.</summary>
        public string Describe() => string.Join(Environment.NewLine,
            Invariants.Select(i => $"{(i.Passed ? "ok  " : "FAIL")} {i.Name}: {i.Evidence}")
                .Concat(Advisory.Select(i => $"{(i.Passed ? "ok  " : "note")} {i.Name}: {i.Evidence}{(i.Passed ? "" : " (advisory: no liquidation coordinator ran in this cluster)")}")));
    }

    /// <summary>Reads the journal at <paramref name="connection"/> and runs every check.</summary>
    /// <param name="connection">Npgsql connection string of the cluster's database (the journal's).</param>
    /// <param name="scenario">The scenario the nodes ran.</param>
    /// <param name="acknowledged">Commands a client saw acknowledged.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<Result> RunAsync(string connection, Scenario scenario, IReadOnlyList<AcknowledgedCommand> acknowledged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(acknowledged);
        // The nodes' serializer: engine events plus the cluster's receipts (CommandApplied) and snapshots.
        var serializer = NodeSerialization.Create();
        await using var journal = await SqlJournal.OpenAsync(new SqlJournalOptions(SqlBackend.Postgres, connection), serializer, cancellationToken).ConfigureAwait(false);
        var fold = new Fold(scenario);
        long events = 0;
        await foreach (var e in journal.CurrentAllEvents(0, cancellationToken).ConfigureAwait(false))
        {
            fold.Apply(e.PersistenceId, e.Event);
            events++;
        }

        var sequences = await JournalVerifier.VerifyAsync(journal, serializer, null, cancellationToken).ConfigureAwait(false);
        var checks = new List<InvariantResult> { fold.NotLost(acknowledged), fold.AtMostOnce(), sequences.Sequences };
        var advisory = new List<InvariantResult>();
        foreach (var check in fold.EngineInvariants())
        {
            (check.Name == UnassignedLoss && !fold.CoordinatorRan ? advisory : checks).Add(check);
        }

        checks.Add(await WriterEpochsAsync(connection, cancellationToken).ConfigureAwait(false));
        return new Result(checks, advisory, events, fold.Streams);
    }

    /// <summary>Reads every row's writer id in stream order and checks the epochs never go back.</summary>
    public static async Task<InvariantResult> WriterEpochsAsync(string connection, CancellationToken cancellationToken)
    {
        await using var data = Npgsql.NpgsqlDataSource.Create(connection);
        await using var command = data.CreateCommand("SELECT persistence_id, sequence_number, writer_uuid FROM journal ORDER BY persistence_id, sequence_number");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var bad = new List<string>();
        string? pid = null;
        long last = 0, rows = 0, stamped = 0;
        string lastWriter = "";
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
            var p = reader.GetString(0);
            var writer = reader.GetString(2);
            if (!string.Equals(p, pid, StringComparison.Ordinal))
            {
                (pid, last, lastWriter) = (p, 0, "");
            }

            var slash = writer.LastIndexOf('/');
            if (slash < 0 || !long.TryParse(writer.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            {
                continue; // not written through a lease (e.g. a single-process run): nothing to compare
            }

            stamped++;
            if (epoch < last && bad.Count < 5)
            {
                bad.Add(string.Create(CultureInfo.InvariantCulture, $"{p}#{reader.GetInt64(1)} written by {writer} after {lastWriter}"));
            }

            (last, lastWriter) = (Math.Max(last, epoch), epoch >= last ? writer : lastWriter);
        }

        return new InvariantResult("writer-epochs-never-go-back", bad.Count == 0,
            bad.Count == 0 ? $"{stamped} of {rows} rows carry a writer epoch; none older than an earlier row's in its stream" : string.Join("; ", bad));
    }

    /// <summary>The folded state plus the command ids and tick times each stream journaled.</summary>
    private sealed class Fold
    {
        private readonly Scenario _scenario;
        private readonly EngineModel _model;
        private readonly SortedDictionary<long, EngineAccount> _accounts = new();
        private readonly SortedDictionary<string, PriceFeed> _feeds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _assetsPricedBy = new(StringComparer.Ordinal);
        private readonly LiquidationCoordinatorLogic _coordinator;
        private readonly RunMetrics _metrics = new();
        private readonly Dictionary<(string Pid, string Kind, long Key), int> _keys = new();
        private readonly HashSet<string> _streams = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Pid, Guid Delivery), int> _receipts = new();
        private MarketPrices _prices;

        public Fold(Scenario scenario)
        {
            _scenario = scenario;
            var risk = scenario.Risk with { Waterfall = scenario.Risk.Waterfall with { BackstopAccountId = EngineIds.RiskId(scenario.MarketMaker.AccountId) } };
            _model = new EngineModel(scenario.Catalog, risk);
            _prices = scenario.InitialPrices;
            _coordinator = new LiquidationCoordinatorLogic(new CoordinatorLimits(SettlementAsset: scenario.Coordinator.InsuranceFundAsset));
            foreach (var s in scenario.Population.All())
            {
                _accounts[s.AccountId] = EngineAccount.Empty(s.AccountId, s.AccountId == scenario.MarketMaker.AccountId ? CrossMargin.Risk.Model.MarginMode.Cross : s.Mode);
            }

            foreach (var i in scenario.Instruments)
            {
                _feeds[i.Id] = new PriceFeed(i.Id, i.Spec.TickSize, i.CreateMarkModel(), i.CreateImpactModel(), i.CreateDepthThinning(), i.ImpactHalfLife);
            }

            foreach (var a in scenario.Assets.Where(a => a.PriceFeed is not null))
            {
                var symbol = a.PriceFeed!;
                _feeds.TryAdd(symbol, new PriceFeed(symbol, a.TickSize, new IndexMarkModel(a.TickSize), null, null));
                if (!_assetsPricedBy.TryGetValue(symbol, out var list))
                {
                    _assetsPricedBy[symbol] = list = [];
                }

                list.Add(a.Id);
            }
        }

        public int Streams => _streams.Count;

        /// <summary>True when the journal holds any liquidation-coordinator event.</summary>
        public bool CoordinatorRan { get; private set; }

        public void Apply(string pid, object e)
        {
            _streams.Add(pid);
            switch (e)
            {
                case AccountEvent a when pid.StartsWith("account-", StringComparison.Ordinal):
                    var id = long.Parse(pid.AsSpan("account-".Length), CultureInfo.InvariantCulture);
                    _accounts[id] = AccountLogic.Apply(_accounts.TryGetValue(id, out var s) ? s : EngineAccount.Empty(id, CrossMargin.Risk.Model.MarginMode.Cross), a, _model);
                    Remember(pid, a);
                    break;
                case FeedEvent f when pid.StartsWith("feed-", StringComparison.Ordinal) && _feeds.TryGetValue(pid["feed-".Length..], out var feed):
                    feed.Recover(f);
                    if (f is IndexTickReceived tick)
                    {
                        Count(pid, "tick", tick.TimeMicros);
                    }

                    if (_model.Catalog.Instruments.ContainsKey(feed.Symbol))
                    {
                        _prices = _prices.WithMark(feed.Symbol, feed.Mark);
                    }

                    foreach (var asset in _assetsPricedBy.TryGetValue(feed.Symbol, out var assets) ? assets : [])
                    {
                        _prices = _prices.WithPrice(asset, feed.Index);
                    }

                    break;
                case CommandApplied r:
                    // A receipt per delivered inbox command: one per delivery id, or the command ran twice.
                    _receipts[(pid, r.DeliveryId)] = _receipts.GetValueOrDefault((pid, r.DeliveryId)) + 1;
                    break;
                case CoordinatorEvent c:
                    CoordinatorRan = true;
                    _coordinator.Apply(c);
                    _metrics.Observe(c, DateTimeOffset.UnixEpoch);
                    break;
            }
        }

        private void Remember(string pid, AccountEvent a)
        {
            switch (a)
            {
                case Deposited d:
                    Count(pid, "deposit", d.CommandId);
                    _metrics.NetDeposits[d.Asset] = _metrics.NetDeposits.GetValueOrDefault(d.Asset) + d.Amount;
                    break;
                case Withdrawn w:
                    Count(pid, "withdraw", w.CommandId);
                    _metrics.NetDeposits[w.Asset] = _metrics.NetDeposits.GetValueOrDefault(w.Asset) - w.Amount;
                    break;
                case TradeFilled t:
                    Count(pid, "trade", t.CommandId);
                    break;
            }
        }

        private void Count(string pid, string kind, long key) =>
            _keys[(pid, kind, key)] = _keys.GetValueOrDefault((pid, kind, key)) + 1;

        public InvariantResult NotLost(IReadOnlyList<AcknowledgedCommand> acknowledged)
        {
            var missing = acknowledged.Where(a => !_keys.ContainsKey((a.PersistenceId, a.Kind, a.Key))).ToList();
            var evidence = missing.Count == 0
                ? $"{acknowledged.Count} acknowledged commands, each found in its stream"
                : $"{missing.Count} of {acknowledged.Count} acknowledged commands have no event: " + string.Join("; ", missing.Take(5).Select(m => m.ToString()));
            return new InvariantResult("acknowledged-not-lost", missing.Count == 0, evidence);
        }

        public InvariantResult AtMostOnce()
        {
            var twice = _keys.Where(kv => kv.Value > 1).Select(kv => $"{kv.Key.Pid} {kv.Key.Kind} {kv.Key.Key} ×{kv.Value}")
                .Concat(_receipts.Where(kv => kv.Value > 1).Select(kv => $"{kv.Key.Pid} receipt {kv.Key.Delivery} ×{kv.Value}")).ToList();
            return new InvariantResult("applied-at-most-once", twice.Count == 0,
                twice.Count == 0 ? $"{_keys.Count} command ids and tick times and {_receipts.Count} delivery receipts, each journaled once" : $"{twice.Count} applied more than once: {string.Join("; ", twice.Take(5))}");
        }

        public IReadOnlyList<InvariantResult> EngineInvariants()
        {
            var view = new CoordinatorView(_coordinator.InsuranceFund, _coordinator.FeePool, 0, _coordinator.SeizedValue, _coordinator.SeizedAmounts);
            return Invariants.Check(_model, _prices, _accounts.Values.ToList(), view, _scenario.Coordinator.InsuranceFundAsset, _metrics);
        }
    }
}
