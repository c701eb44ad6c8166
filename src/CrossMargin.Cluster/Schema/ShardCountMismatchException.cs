namespace CrossMargin.Cluster.Schema;

/// <summary>
/// The database records a different shard count than this node is configured with. Shard count is fixed forever for a
/// journal (account → shard must never change), so the node refuses to start.
/// </summary>
public sealed class ShardCountMismatchException : Exception
{
    /// <summary>Creates the exception; the message names both numbers and the database.</summary>
    public ShardCountMismatchException(string target, int recordedShardCount, int configuredShardCount)
        : base($"journal has {recordedShardCount} shards, this node is configured with {configuredShardCount} (database {target}); " +
            $"the shard count is fixed for a journal: set crossmargin.cluster.shard-count (or CROSSMARGIN_SHARD_COUNT) to {recordedShardCount}, or use another database")
    {
        Target = target;
        RecordedShardCount = recordedShardCount;
        ConfiguredShardCount = configuredShardCount;
    }

    /// <summary>The database (host:port/database).</summary>
    public string Target { get; }

    /// <summary>The count recorded in <c>cm_cluster_meta</c>.</summary>
    public int RecordedShardCount { get; }

    /// <summary>The count this node was configured with.</summary>
    public int ConfiguredShardCount { get; }
}
