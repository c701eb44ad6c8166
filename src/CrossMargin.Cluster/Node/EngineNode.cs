using System.Collections.Concurrent;
using System.Globalization;
using CrossMargin.Actors;
using CrossMargin.Cluster.Fencing;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Configuration;
using CrossMargin.Persistence.Query;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Persistence.Sql.Snapshot;
using Serilog;
using PersistenceExtension = CrossMargin.Persistence.Actors.Persistence;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// A running engine node of the cluster: joined membership with heartbeats, a shard allocator that hosts the account
/// actors of every shard it owns (persistent, on the thread-pool dispatcher, journaling to PostgreSQL through the
/// <see cref="EpochFence"/>) and consumes each owned shard's inbox; the price-feed singletons it wins; and, for every
/// feed, a follower of the journaled feed events that keeps the band index of this node's accounts and wakes them.
/// </summary>
/// <remarks>
/// Start with <see cref="StartAsync"/>; stop with <see cref="StopAsync"/> (graceful: stop consuming, accounts snapshot
/// and stop, leases released, member left) or, in tests, <see cref="CrashAsync"/> (nothing released: the leases run
/// out). Thread-safe. Logs every ownership change with node, resource and epoch.
/// </remarks>
public sealed class EngineNode : IAsyncDisposable
{
    private readonly NodeOptions _options;
    private readonly ILogger _log;
    private readonly ClusterStore _store;
    private readonly SqlJournal _journal;
    private readonly SqlSnapshotStore _snapshots;
    private readonly ActorSystem _system;
    private readonly NodeEngine _engine;
    private readonly ClusterInbox _inbox;
    private readonly InboxRetention _retention;
    private readonly ClusterMembership _membership;
    private readonly LeaseManager _leases;
    private readonly ShardAllocator _shards;
    private readonly SingletonAllocator _singletons;
    private readonly ConcurrentDictionary<int, ShardHost> _hosted = new();
    private readonly ClusterClient _client;
    private readonly ClusterOutbox _outbox;
    private readonly ConcurrentDictionary<string, ISingletonHost> _singletonHosts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _followStop = new();
    private readonly List<Task> _followers = new();
    private int _stopped;

    private EngineNode(NodeOptions options, ILogger log, ClusterStore store, SqlJournal journal, SqlSnapshotStore snapshots, HeldLeases held)
    {
        _options = options;
        _log = log;
        _store = store;
        _journal = journal;
        _snapshots = snapshots;
        var settings = options.Settings;
        _system = ActorSystem.Create("crossmargin-node", new ActorSystemSetup { Deterministic = false, Logger = log });
        var persistence = options.Persistence ?? new PersistenceSettings();
        PersistenceExtension.Configure(_system, journal, snapshots, persistence with
        {
            SnapshotInterval = options.SnapshotEvery,
            MaxConcurrentRecoveries = Math.Max(1, Math.Min(persistence.MaxConcurrentRecoveries, options.MaxConcurrentRecoveries)),
        });
        _engine = new NodeEngine(options.Scenario, _system, store.ShardCount, options);
        _inbox = new ClusterInbox(store, settings, log);
        _retention = new InboxRetention(store, settings, log);
        _client = new ClusterClient(_inbox, store.ShardCount);
        _outbox = new ClusterOutbox(_client, log);
        if (options.HostSingletons && options.HostCoordinator)
        {
            // Accounts report to the coordinator singleton through its inbox, wherever it runs.
            var outbox = _outbox;
            _engine.Wiring.Coordinator = _system.CreateFunctionRef((message, _) =>
            {
                switch (message)
                {
                    case LiquidationRequest r:
                        outbox.Post(new LiquidationRequestMessage(AccountSnapshot.Of(r.State), r.Classified, r.Severity, r.Request, r.Version, r.LastCoordinatorEvent));
                        break;
                    case AccountUpdated u:
                        outbox.Post(new AccountUpdatedMessage(AccountSnapshot.Of(u.State), u.Version, u.LastCoordinatorEvent));
                        break;
                }
            }, "coordinator-outbox");
        }
        _membership = new ClusterMembership(store, settings, log);
        _leases = new LeaseManager(store, _membership, settings, held);
        _shards = new ShardAllocator(_membership, _leases, settings, log)
        {
            OnShardAcquired = OnShardAcquiredAsync,
            OnShardLost = OnShardLostAsync,
        };
        var singletonNames = !options.HostSingletons ? []
            : options.HostCoordinator ? [ClusterResources.CoordinatorName, .. options.Scenario.FeedSymbols.Select(ClusterResources.FeedName)]
            : options.Scenario.FeedSymbols.Select(ClusterResources.FeedName).ToArray();
        _singletons = new SingletonAllocator(_membership, _leases, singletonNames, settings, log)
        {
            OnAcquired = OnSingletonAcquiredAsync,
            OnLost = OnSingletonLostAsync,
        };
    }

    /// <summary>This node's name.</summary>
    public string Name => _membership.Node;

    /// <summary>This life's incarnation (fresh at every start).</summary>
    public Guid Incarnation => _membership.Incarnation;

    /// <summary>Shards in the cluster (as recorded in the database).</summary>
    public int ShardCount => _store.ShardCount;

    /// <summary>host:port/database of the cluster's PostgreSQL.</summary>
    public string Target => _store.Target;

    /// <summary>The shards whose actors this node hosts now, ascending.</summary>
    public IReadOnlyList<int> HostedShards => _hosted.Keys.Order().ToArray();

    /// <summary>The singletons (e.g. <c>feed-BTCUSDT</c>) this node runs now, sorted.</summary>
    public IReadOnlyList<string> HostedSingletons => _singletonHosts.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The lease this node holds on <paramref name="shard"/>, or null.</summary>
    public Lease? LeaseOf(int shard) => _shards.LeaseOf(shard);

    /// <summary>The store (tests and tools read the cluster tables through it).</summary>
    public ClusterStore Store => _store;

    /// <summary>Current marks and asset prices as this node sees them (folded from the journaled feed events).</summary>
    public Risk.Model.MarketPrices Prices => _engine.Wiring.Board.Prices;

    /// <summary>
    /// Opens the cluster database (bounded retries), the journal with the epoch fence, joins, and starts the allocators
    /// and feed followers. Returns once the node is a live member; shards are acquired in the background (within a
    /// rebalance interval).
    /// </summary>
    /// <exception cref="ClusterUnreachableException">PostgreSQL could not be reached; names the target and retry timing.</exception>
    /// <exception cref="ShardCountMismatchException">The database records another shard count; names both numbers.</exception>
    public static async Task<EngineNode> StartAsync(NodeOptions options, ILogger? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Settings;
        var logger = (log ?? Serilog.Log.Logger).ForContext("Node", settings.NodeName);
        var store = await ClusterStore.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        SqlJournal? journal = null;
        SqlSnapshotStore? snapshots = null;
        try
        {
            var held = new HeldLeases();
            var pooled = new Npgsql.NpgsqlConnectionStringBuilder(settings.Connection);
            if (!settings.Connection.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase) && !settings.Connection.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
            {
                pooled.MaxPoolSize = Math.Max(4, options.JournalPoolSize);
            }

            var persistence = (options.Persistence ?? new PersistenceSettings()) with { Plugin = JournalPlugin.Postgres, ConnectionString = pooled.ConnectionString };
            var journalOptions = JournalFactory.ToOptions(persistence) with
            {
                // Plain INSERTs, never COPY: each write holds the journal's cluster-wide write lock (an advisory
                // transaction lock) and, after the fence, FOR SHARE locks on its lease rows. A node frozen (SIGSTOP,
                // starvation) mid-COPY leaves its session "active" waiting for COPY data, which the database's
                // idle_in_transaction_session_timeout does not cover, so every node's writes and the takeover of the
                // frozen node's leases waited until it resumed. Between INSERT statements the session is idle in
                // transaction, so that timeout ends a frozen writer's transaction and frees the locks.
                PostgresInsertMode = CrossMargin.Persistence.Sql.Dialects.PostgresInsertMode.Insert,
                Fence = new EpochFence(held, store.ShardCount),
                RefreshInterval = options.JournalRefreshInterval,
            };
            var serializer = NodeSerialization.Create();
            journal = await SqlJournal.OpenAsync(journalOptions, serializer, cancellationToken).ConfigureAwait(false);
            // The same options, so the same EpochFence: a snapshot save or delete for a stream whose lease this node
            // no longer holds is refused (SaveSnapshotFailure), like its journal writes.
            snapshots = await SqlSnapshotStore.OpenAsync(journalOptions, serializer, cancellationToken).ConfigureAwait(false);
            var node = new EngineNode(options, logger, store, journal, snapshots, held);
            await node.StartInternalAsync(cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            if (snapshots is not null)
            {
                await snapshots.DisposeAsync().ConfigureAwait(false);
            }

            if (journal is not null)
            {
                await journal.DisposeAsync().ConfigureAwait(false);
            }

            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartInternalAsync(CancellationToken cancellationToken)
    {
        foreach (var symbol in _options.Scenario.FeedSymbols)
        {
            _followers.Add(Task.Run(() => FollowFeedAsync(symbol, _followStop.Token), CancellationToken.None));
        }

        await _membership.JoinAsync(cancellationToken).ConfigureAwait(false);
        _shards.Start();
        _singletons.Start();
        _retention.Start(); // every node purges old completed inbox rows; concurrent purges take disjoint rows
        _log.Information(
            "Node {Node} up: incarnation {Incarnation}, {ShardCount} shards, {Accounts} accounts in the directory, scenario {Scenario}, database {Target}",
            Name, Incarnation, ShardCount, _engine.Wiring.Modes.Count, _options.Scenario.Name, Target);
    }

    /// <summary>Runs one allocation pass now (tests use it to avoid waiting for the rebalance interval).</summary>
    public async Task RebalanceNowAsync(CancellationToken cancellationToken = default)
    {
        await _shards.RebalanceNowAsync(cancellationToken).ConfigureAwait(false);
        await _singletons.RebalanceNowAsync(cancellationToken).ConfigureAwait(false);
        await _shards.WhenCallbacksDoneAsync().ConfigureAwait(false);
        await _singletons.WhenCallbacksDoneAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Graceful stop (SIGTERM): marks the member leaving, hands every shard and singleton off (consumers stop, accounts
    /// snapshot and stop, then the leases are released), leaves, and closes the actor system and the journal.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _log.Information("Node {Node} stopping: handing off {Shards} shard(s) and {Singletons} singleton(s)", Name, _hosted.Count, _singletonHosts.Count);
        try
        {
            await _membership.SetLeavingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Warning("Node {Node} could not mark itself leaving: {Error}", Name, e.Message);
        }

        await _shards.LeaveAsync(cancellationToken).ConfigureAwait(false);
        await _singletons.LeaveAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _membership.LeaveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Warning("Node {Node} could not mark itself left: {Error}", Name, e.Message);
        }

        await CloseAsync().ConfigureAwait(false);
        _log.Information("Node {Node} stopped", Name);
    }

    /// <summary>
    /// Simulates a crash (tests): heartbeats, renewals and consumers stop, the actors are stopped without snapshots and
    /// nothing is released or marked; the leases run out and other nodes take over after the lease ttl.
    /// </summary>
    public async Task CrashAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _membership.StopHeartbeatsAsync().ConfigureAwait(false);
        await _shards.AbandonAsync().ConfigureAwait(false);
        await _singletons.AbandonAsync().ConfigureAwait(false);
        foreach (var host in _hosted.Values)
        {
            await host.StopAsync(graceful: false).ConfigureAwait(false);
        }

        foreach (var host in _singletonHosts.Values)
        {
            await host.StopAsync().ConfigureAwait(false);
        }

        _hosted.Clear();
        _singletonHosts.Clear();
        await CloseAsync().ConfigureAwait(false);
        _log.Warning("Node {Node} crashed (simulated)", Name);
    }

    /// <summary>Stops gracefully when not stopped yet.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _stopped) == 0)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _followStop.Dispose();
    }

    private async Task CloseAsync()
    {
        await _followStop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_followers).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await _outbox.DisposeAsync().ConfigureAwait(false);
        await _retention.DisposeAsync().ConfigureAwait(false);
        await _inbox.DisposeAsync().ConfigureAwait(false);
        await _membership.DisposeAsync().ConfigureAwait(false);
        await _journal.DisposeAsync().ConfigureAwait(false);
        await _snapshots.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private Task OnShardAcquiredAsync(ShardAcquired acquired, CancellationToken cancellationToken)
    {
        var host = ShardHost.Start(acquired.Shard, acquired.Lease, _engine, _inbox, _options, _log);
        _hosted[acquired.Shard] = host;
        _log.Information("Node {Node} owns shard {Shard} at epoch {Epoch}", Name, acquired.Shard, acquired.Lease.Epoch);
        return Task.CompletedTask;
    }

    private async Task OnShardLostAsync(ShardLost lost, CancellationToken cancellationToken)
    {
        var graceful = lost.Reason is LeaseLossReason.Handoff or LeaseLossReason.Leaving;
        if (_hosted.TryGetValue(lost.Shard, out var host) && ReferenceEquals(host.Lease, lost.Lease))
        {
            await host.StopAsync(graceful).ConfigureAwait(false);
            _hosted.TryRemove(new KeyValuePair<int, ShardHost>(lost.Shard, host));
        }

        if (graceful)
        {
            _log.Information("Node {Node} handed off shard {Shard} at epoch {Epoch} ({Reason})", Name, lost.Shard, lost.Lease.Epoch, lost.Reason);
        }
        else
        {
            _log.Warning("Node {Node} lost shard {Shard} at epoch {Epoch} ({Reason}); its actors are stopped", Name, lost.Shard, lost.Lease.Epoch, lost.Reason);
        }
    }

    private async Task OnSingletonAcquiredAsync(SingletonAcquired acquired, CancellationToken cancellationToken)
    {
        const string FeedPrefix = "feed-";
        if (acquired.Name == ClusterResources.CoordinatorName)
        {
            _singletonHosts[acquired.Name] = await CoordinatorHost.StartAsync(acquired.Lease, _engine, _inbox, _client, _outbox, _journal, _options, _log).ConfigureAwait(false);
            _log.Information("Node {Node} runs singleton {Singleton} at epoch {Epoch}", Name, acquired.Name, acquired.Lease.Epoch);
            return;
        }

        if (acquired.Name.StartsWith(FeedPrefix, StringComparison.Ordinal))
        {
            var symbol = acquired.Name[FeedPrefix.Length..];
            _singletonHosts[acquired.Name] = SingletonHost.StartFeed(symbol, acquired.Lease, _engine, _inbox, _options, _log);
            _log.Information("Node {Node} runs singleton {Singleton} at epoch {Epoch}", Name, acquired.Name, acquired.Lease.Epoch);
        }
    }

    private async Task OnSingletonLostAsync(SingletonLost lost, CancellationToken cancellationToken)
    {
        if (_singletonHosts.TryGetValue(lost.Name, out var host) && ReferenceEquals(host.Lease, lost.Lease))
        {
            await host.StopAsync().ConfigureAwait(false);
            _singletonHosts.TryRemove(new KeyValuePair<string, ISingletonHost>(lost.Name, host));
        }

        _log.Information("Node {Node} stopped singleton {Singleton} at epoch {Epoch} ({Reason})", Name, lost.Name, lost.Lease.Epoch, lost.Reason);
    }

    private async Task FollowFeedAsync(string symbol, CancellationToken cancellationToken)
    {
        var follower = _engine.Wiring.Feeds[symbol];
        var pid = EngineIds.Feed(symbol);
        IReadJournal query = _journal;
        long next = 1;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var envelope in query.EventsByPersistenceId(pid, next, long.MaxValue, cancellationToken).ConfigureAwait(false))
                {
                    next = envelope.SequenceNr + 1;
                    if (envelope.Event is FeedEvent e)
                    {
                        follower.Tell(new FollowedFeedEvent(e, envelope.SequenceNr));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.Warning("Node {Node}: following {PersistenceId} failed at sequence number {Next}, retrying: {Error}", Name, pid, next, e.Message);
                try
                {
                    await Task.Delay(_options.Settings.InboxPollInterval, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>For messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({HostedShards.Count} shards)");
}
