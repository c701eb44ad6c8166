using CrossMargin.Cluster.Configuration;
using CrossMargin.Engine.Scenarios;

namespace CrossMargin.Cluster.Node;

/// <summary>What an <see cref="EngineNode"/> runs: the cluster settings, the scenario that defines the market and the account directory, and engine knobs.</summary>
/// <param name="Settings">The <c>crossmargin.cluster</c> settings (node name, connection, shard count, timings).</param>
/// <param name="Scenario">
/// The scenario every node of the cluster must load identically: instruments, assets, risk parameters, the account
/// directory (which ids exist and their margin modes) and the market maker. Its tick source is not used by a node (ticks
/// arrive through the feed singletons' inboxes).
/// </param>
public sealed record NodeOptions(ClusterSettings Settings, Scenario Scenario)
{
    /// <summary>An account snapshots after every this many of its events (0 = never). Default 1000.</summary>
    public int SnapshotEvery { get; init; } = 1000;

    /// <summary>Idle time after which an account actor snapshots and stops (null = never). Default 2 minutes.</summary>
    public TimeSpan? PassivateAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Delivered command ids each account remembers (and snapshots) for duplicate detection. Default 10,000.</summary>
    public int ReceiptMemory { get; init; } = 10_000;

    /// <summary>Inbox rows taken per fetch of one shard's inbox. Default 256.</summary>
    public int InboxBatchSize { get; init; } = 256;

    /// <summary>
    /// Longest wait for an account's answer to an inbox command before the consumer gives up on it (it stays pending and
    /// is redelivered, e.g. after the shard moved). Default 30 s.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a shard's accounts to snapshot and stop when it is handed off; then they are stopped without waiting. Default 10 s.</summary>
    public TimeSpan HandOffTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Run the singletons (price feeds; the coordinator when implemented) on this node when it wins their leases. Default true.</summary>
    public bool HostSingletons { get; init; } = true;

    /// <summary>Journal settings (batching, retries); the plugin and connection are always the cluster's PostgreSQL. Null: the defaults.</summary>
    public CrossMargin.Persistence.Configuration.PersistenceSettings? Persistence { get; init; }

    /// <summary>
    /// Most connections each of the node's journal and snapshot store opens to PostgreSQL (Npgsql <c>Maximum Pool
    /// Size</c>, applied when the connection string sets none). A node also uses the cluster store's pool and one LISTEN
    /// connection; keep nodes × (2 × this + a few) under the server's <c>max_connections</c>. Default 20.
    /// </summary>
    public int JournalPoolSize { get; init; } = 20;

    /// <summary>Account recoveries running at once on this node (caps the connections a shard acquisition needs). Default 16.</summary>
    public int MaxConcurrentRecoveries { get; init; } = 16;

    /// <summary>How often the live journal queries (the feed followers) look for new events when idle. Default 200 ms.</summary>
    public TimeSpan JournalRefreshInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Run the liquidation coordinator singleton (when this node wins <c>singleton-coordinator</c>); needs <see cref="HostSingletons"/>. Default true.</summary>
    public bool HostCoordinator { get; init; } = true;

    /// <summary>How often the coordinator singleton looks for queued liquidations and runs cascade rounds. Default 250 ms.</summary>
    public TimeSpan CoordinatorRoundInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>On acquiring a shard, classify every directory account of it at the current prices (so each registers its bands with the local feed followers). Default true.</summary>
    public bool ClassifyOnAcquire { get; init; } = true;
}
