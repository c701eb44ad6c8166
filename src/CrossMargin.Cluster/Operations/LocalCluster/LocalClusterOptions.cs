using CrossMargin.Cluster.Operations.Processes;

namespace CrossMargin.Cluster.Operations.LocalCluster;

/// <summary>What <see cref="LocalClusterRunner.StartAsync"/> starts: the docker-compose topology as local processes.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>How many <c>crossmargin node</c> processes (1..16).</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>
    /// Npgsql connection string of an existing PostgreSQL to use; null = start one from Debian's binaries with its data
    /// under <see cref="DataDirectory"/><c>/postgres</c> (kept between runs, so a cluster's journal survives a restart).
    /// </summary>
    public string? Postgres { get; init; }

    /// <summary>
    /// Folder for the local server's data, the processes' logs (<c>logs/</c>) and <c>connection.txt</c> (read by
    /// <c>cluster status</c> and <c>cluster loadgen</c> when no connection is given). Null = a temporary folder deleted
    /// on dispose (tests).
    /// </summary>
    public string? DataDirectory { get; init; } = "./data/cluster";

    /// <summary>Shard count given to every node (<c>CROSSMARGIN_SHARD_COUNT</c>); null = the nodes' configuration (64 by default).</summary>
    public int? ShardCount { get; init; }

    /// <summary>How to start <c>crossmargin</c>; null = the executable of the current process.</summary>
    public CrossMarginExecutable? Executable { get; init; }

    /// <summary>Extra environment for every node (e.g. short lease timings: <c>CROSSMARGIN_CLUSTER_LEASE_TTL=3s</c>).</summary>
    public IReadOnlyDictionary<string, string> NodeEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Arguments after <c>node</c> for every node (e.g. <c>--scenario crash --accounts 40</c>: the nodes and the load generator must load the same directory).</summary>
    public IReadOnlyList<string> NodeArguments { get; init; } = [];

    /// <summary>Node names are this prefix plus 1..N (<c>node-1</c>).</summary>
    public string NodeNamePrefix { get; init; } = "node-";

    /// <summary>How long a SIGTERMed node may take to hand off its shards before it is killed.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Local server: fsync and synchronous commit on (true for <c>cluster up</c>; tests turn it off for speed).</summary>
    public bool DurablePostgres { get; init; } = true;

    /// <summary>
    /// On a server this runner starts: the database's <c>idle_in_transaction_session_timeout</c>. A node frozen
    /// (SIGSTOP, a VM stall) in the middle of a transaction keeps its row locks on the lease table until its session
    /// ends, and a takeover's UPDATE of those rows would wait for it indefinitely; PostgreSQL ends such a session after
    /// this long, releasing the locks (the frozen node's later writes then fail, as they must). Null leaves the server's default (off).
    /// </summary>
    public TimeSpan? IdleInTransactionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Database the cluster lives in on a server this runner starts.</summary>
    public string Database { get; init; } = "crossmargin";

    /// <summary>The file <c>cluster up</c> writes the connection string to, under a data directory.</summary>
    public const string ConnectionFileName = "connection.txt";
}
