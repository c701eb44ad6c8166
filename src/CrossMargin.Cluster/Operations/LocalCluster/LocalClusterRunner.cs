using System.Globalization;
using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Operations.Processes;
using CrossMargin.Persistence.Sql.Postgres;
using Npgsql;

namespace CrossMargin.Cluster.Operations.LocalCluster;

/// <summary>
/// The cluster on one machine without Docker (<c>crossmargin cluster up</c>, and the failover tests): a PostgreSQL
/// (started from Debian's binaries, or an existing one), then N <c>crossmargin node</c> processes of the same build,
/// each writing its console to <c>logs/&lt;node&gt;.log</c> and its JSON log beside it. <see cref="StopAsync"/>
/// stops cleanly: every node gets SIGTERM (they hand their shards off and mark themselves left), then PostgreSQL
/// stops. Not thread-safe: drive it from one task.
/// </summary>
public sealed class LocalClusterRunner : IAsyncDisposable
{
    private readonly LocalClusterOptions _options;
    private readonly CrossMarginExecutable _executable;
    private readonly List<ChildProcess> _nodes = [];
    private readonly Dictionary<string, int> _starts = new(StringComparer.Ordinal);
    private readonly bool _temporaryRoot;
    private bool _stopped;

    private LocalClusterRunner(LocalClusterOptions options, CrossMarginExecutable executable, string root, bool temporaryRoot, LocalPostgresServer? postgres, string connection)
    {
        _options = options;
        _executable = executable;
        Root = root;
        _temporaryRoot = temporaryRoot;
        Postgres = postgres;
        ConnectionString = connection;
    }

    /// <summary>The data folder (absolute).</summary>
    public string Root { get; }

    /// <summary>Where every process's log goes.</summary>
    public string LogDirectory => Path.Combine(Root, "logs");

    /// <summary>The local server this runner started; null when <see cref="LocalClusterOptions.Postgres"/> was given.</summary>
    public LocalPostgresServer? Postgres { get; }

    /// <summary>The cluster database's connection string (given to every node as <c>CROSSMARGIN_CLUSTER_CONNECTION</c>).</summary>
    public string ConnectionString { get; }

    /// <summary>The node processes, in start order (a restarted node appears again at the end).</summary>
    public IReadOnlyList<ChildProcess> Nodes => _nodes;

    /// <summary>How to start <c>crossmargin</c> (for the load generator and other commands).</summary>
    public CrossMarginExecutable Executable => _executable;

    /// <summary>Starts PostgreSQL (unless given) and <see cref="LocalClusterOptions.Nodes"/> nodes; returns once they are started (not yet joined).</summary>
    /// <exception cref="ClusterOperationException">PostgreSQL cannot be started or reached, or a node cannot be started.</exception>
    public static async Task<LocalClusterRunner> StartAsync(LocalClusterOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Nodes is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Nodes, "nodes must be 1..16");
        }

        var temporary = options.DataDirectory is null;
        var root = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Path.GetTempPath(), $"crossmargin-cluster-{Guid.NewGuid():N}"[..44]));
        Directory.CreateDirectory(Path.Combine(root, "logs"));
        var executable = options.Executable ?? CrossMarginExecutable.Current();
        LocalPostgresServer? server = null;
        string connection;
        try
        {
            if (options.Postgres is { } given)
            {
                await LocalPostgresServer.WaitUntilReadyAsync(given, TimeSpan.FromSeconds(15), null, cancellationToken).ConfigureAwait(false);
                connection = given;
            }
            else
            {
                server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions
                {
                    Directory = Path.Combine(root, "postgres"),
                    Durable = options.DurablePostgres,
                }, cancellationToken).ConfigureAwait(false);
                connection = await EnsureDatabaseAsync(server.AdminConnectionString, options.Database, options.IdleInTransactionTimeout, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException e)
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw new ClusterOperationException(e.Message, e);
        }

        await File.WriteAllTextAsync(Path.Combine(root, LocalClusterOptions.ConnectionFileName), connection + "\n", cancellationToken).ConfigureAwait(false);
        var runner = new LocalClusterRunner(options, executable, root, temporary, server, connection);
        try
        {
            for (var i = 1; i <= options.Nodes; i++)
            {
                runner.StartNode(options.NodeNamePrefix + i.ToString(CultureInfo.InvariantCulture));
            }
        }
        catch
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return runner;
    }

    /// <summary>Starts (or starts again, after it exited) the node named <paramref name="name"/>.</summary>
    public ChildProcess StartNode(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var run = _starts[name] = _starts.TryGetValue(name, out var n) ? n + 1 : 1;
        var suffix = run == 1 ? "" : "-" + run.ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ClusterSettings.ConnectionVariable] = ConnectionString,
            [ClusterSettings.NodeNameVariable] = name,
            // Each node its own JSON log file, and lifecycle lines (joins, leases, takeovers) on its console log.
            ["CROSSMARGIN__logging__file"] = Path.Combine(LogDirectory, $"{name}{suffix}-.json"),
            ["CROSSMARGIN__logging__console_level"] = "information",
        };
        if (_options.ShardCount is { } shards)
        {
            environment[ClusterSettings.ShardCountVariable] = shards.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in _options.NodeEnvironment)
        {
            environment[key] = value;
        }

        var child = ChildProcess.Start(name, _executable.StartInfo(["node", .. _options.NodeArguments], environment), Path.Combine(LogDirectory, $"{name}{suffix}.log"));
        _nodes.Add(child);
        return child;
    }

    /// <summary>The latest process of node <paramref name="name"/>.</summary>
    public ChildProcess Node(string name) =>
        _nodes.LastOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal)) ?? throw new ArgumentException($"no node named {name}", nameof(name));

    /// <summary>Starts another <c>crossmargin</c> process (e.g. <c>cluster loadgen</c>) against this cluster, logging to <c>logs/<paramref name="name"/>.log</c>.</summary>
    public ChildProcess StartCommand(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ClusterSettings.ConnectionVariable] = ConnectionString,
            ["CROSSMARGIN__logging__file"] = Path.Combine(LogDirectory, $"{name}-.json"),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return ChildProcess.Start(name, _executable.StartInfo(arguments, env), Path.Combine(LogDirectory, $"{name}.log"));
    }

    /// <summary>
    /// Stops everything cleanly: SIGTERM to every running node at once, each waited for up to the stop grace (then
    /// killed), then PostgreSQL (fast shutdown). Returns each node's exit code (null when it had to be killed).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int?>> StopAsync()
    {
        if (_stopped)
        {
            return new Dictionary<string, int?>();
        }

        _stopped = true;
        var running = _nodes.Where(n => !n.HasExited).ToList();
        var codes = await Task.WhenAll(running.Select(n => n.StopAsync(_options.StopGrace))).ConfigureAwait(false);
        if (Postgres is not null && Postgres.IsRunning)
        {
            await Postgres.StopAsync().ConfigureAwait(false);
        }

        return running.Select((n, i) => (n.Name, codes[i])).GroupBy(x => x.Name).ToDictionary(g => g.Key, g => g.Last().Item2, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        foreach (var n in _nodes)
        {
            await n.DisposeAsync().ConfigureAwait(false);
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync().ConfigureAwait(false);
        }

        if (_temporaryRoot)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder the OS cleans later; its files are harmless.
            }
            catch (UnauthorizedAccessException)
            {
                // The server's files belong to the postgres user when running as root; /tmp is cleaned by the OS.
            }
        }
    }

    /// <summary>
    /// Creates <paramref name="database"/> unless it exists, sets its <c>idle_in_transaction_session_timeout</c> (see
    /// <see cref="LocalClusterOptions.IdleInTransactionTimeout"/>) for sessions opened from now on; returns a connection string to it.
    /// </summary>
    public static async Task<string> EnsureDatabaseAsync(string adminConnectionString, string database, TimeSpan? idleInTransactionTimeout, CancellationToken cancellationToken)
    {
        var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (idleInTransactionTimeout is { } idle)
            {
                var ms = ((long)idle.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                await using var set = new NpgsqlCommand($"ALTER DATABASE {quoted} SET idle_in_transaction_session_timeout = '{ms}ms'", connection);
                await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database, Pooling = true }.ToString();
    }
}
