using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Node;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Engine.Scenarios;
using Npgsql;

namespace CrossMargin.Cluster.Tests.Node;

/// <summary>
/// Nodes of one test cluster in this process, on one fresh database, with short lease timings; a client to send
/// commands through the inboxes; polling helpers (conditions with generous bounds, never sleeps as synchronisation).
/// </summary>
internal sealed class NodeTestCluster : IAsyncDisposable
{
    public const int Shards = 8;
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Lazy<Scenario> SharedScenario = new(() => ScenarioLoader.Load(new ScenarioOverrides { Scenario = "crash", Accounts = 24, Seed = 7 }));

    private readonly List<EngineNode> _nodes = new();
    private ClusterStore? _clientStore;
    private ClusterInbox? _inbox;

    private NodeTestCluster(string connection)
    {
        Connection = connection;
    }

    public string Connection { get; }

    public Scenario Scenario => SharedScenario.Value;

    public ClusterClient Client { get; private set; } = null!;

    public static async Task<NodeTestCluster> CreateAsync(NodePostgresFixture fixture)
    {
        var cluster = new NodeTestCluster(await fixture.NewDatabaseAsync());
        return cluster;
    }

    // The library tests' fast timings: one set for every in-process cluster test.
    public ClusterSettings Settings(string name) => TestNode.FastSettings(Connection, name, Shards);

    public async Task<EngineNode> StartNodeAsync(string name, Serilog.ILogger? log = null)
    {
        var node = await EngineNode.StartAsync(new NodeOptions(Settings(name), Scenario) { JournalRefreshInterval = TimeSpan.FromMilliseconds(50) }, log);
        _nodes.Add(node);
        if (_inbox is null)
        {
            _clientStore = await ClusterStore.OpenAsync(new ClusterStoreOptions(Connection) { ShardCount = Shards });
            _inbox = new ClusterInbox(_clientStore, TimeSpan.FromMilliseconds(100));
            Client = new ClusterClient(_inbox, Shards);
        }

        return node;
    }

    /// <summary>Polls <paramref name="condition"/> until true; fails naming <paramref name="what"/> after <see cref="Patience"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"timed out after {Patience.TotalSeconds:0}s waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    public static Task EventuallyAsync(Func<bool> condition, string what) => EventuallyAsync(() => Task.FromResult(condition()), what);

    /// <summary>Waits until the nodes together host every shard exactly once.</summary>
    public async Task AllShardsHostedAsync(params EngineNode[] nodes)
    {
        await EventuallyAsync(
            () =>
            {
                var hosted = nodes.SelectMany(n => n.HostedShards).ToList();
                return hosted.Count == Shards && hosted.Distinct().Count() == Shards;
            },
            $"nodes {string.Join(", ", nodes.Select(n => n.Name))} host all {Shards} shards once");
    }

    /// <summary>A directory account (not the market maker) living in a shard of <paramref name="shards"/>.</summary>
    public IReadOnlyList<long> AccountsIn(IEnumerable<int> shards)
    {
        var set = shards.ToHashSet();
        return Scenario.Population.Accounts.Select(a => a.AccountId).Where(id => set.Contains(ShardMap.ShardOf(id, Shards))).Order().ToList();
    }

    /// <summary>The settlement asset every scenario account can deposit.</summary>
    public string Asset => Scenario.Population.Accounts[0].Deposits[0].Asset;

    /// <summary>(manifest, writer) of every journal row of <paramref name="persistenceId"/>, by sequence number.</summary>
    public async Task<IReadOnlyList<(long Seq, string Manifest, string Writer)>> JournalRowsAsync(string persistenceId)
    {
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT sequence_number, manifest, writer_uuid FROM journal WHERE persistence_id = @p ORDER BY sequence_number", connection);
        command.Parameters.AddWithValue("p", persistenceId);
        var rows = new List<(long, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    public async Task<int> ExecAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The epoch of <c>shard-n</c> in the lease table.</summary>
    public Task<long> ExecScalarEpochAsync(int shard) =>
        CountAsync("SELECT epoch FROM cm_cluster_leases WHERE resource = @r", ("r", ClusterResources.Shard(shard)));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                await node.DisposeAsync();
            }
            catch (ObjectDisposedException)
            {
                // Already crashed.
            }
        }

        if (_inbox is not null)
        {
            await _inbox.DisposeAsync();
        }

        if (_clientStore is not null)
        {
            await _clientStore.DisposeAsync();
        }
    }
}
