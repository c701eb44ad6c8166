using System.Diagnostics;
using System.Globalization;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Operations.Audit;
using CrossMargin.Cluster.Operations.LoadGen;
using CrossMargin.Cluster.Operations.LocalCluster;
using CrossMargin.Cluster.Operations.Processes;
using CrossMargin.Cluster.Operations.Status;
using CrossMargin.Cluster.Schema;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Persistence.Sql.Postgres;
using Xunit.Abstractions;

namespace CrossMargin.Cluster.Tests.Failover;

/// <summary>
/// PostgreSQL plus three <c>crossmargin node</c> processes on 127.0.0.1 for one failover test, with short lease timings,
/// a small account directory, an in-process load generator, polling waits with generous bounds, and the journal audit.
/// Every node's console log is copied to the test output when the test ends (pass or fail).
/// </summary>
internal sealed class FailoverCluster : IAsyncDisposable
{
    /// <summary>Shards of the test cluster: few, so allocation settles fast.</summary>
    public const int ShardCount = 12;

    /// <summary>Trading accounts in the nodes' directory (crossmargin.engine.population.accounts).</summary>
    public const int Population = 40;

    /// <summary>Timings of the test nodes: a lease expires 3 s after its last renew, so a takeover needs a few seconds.</summary>
    public static readonly TimeSpan FailureTimeout = TimeSpan.FromSeconds(2);

    private static readonly Dictionary<string, string> NodeEnvironment = new(StringComparer.Ordinal)
    {
        ["CROSSMARGIN_CLUSTER_HEARTBEAT_INTERVAL"] = "500ms",
        ["CROSSMARGIN_CLUSTER_FAILURE_TIMEOUT"] = "2s",
        ["CROSSMARGIN_CLUSTER_LEASE_TTL"] = "3s",
        ["CROSSMARGIN_CLUSTER_RENEW_INTERVAL"] = "1s",
        ["CROSSMARGIN_CLUSTER_STOP_MARGIN"] = "500ms",
        ["CROSSMARGIN_CLUSTER_REBALANCE_INTERVAL"] = "1s",
        ["CROSSMARGIN_CLUSTER_INBOX_POLL_INTERVAL"] = "200ms",
        ["CROSSMARGIN_CLUSTER_CONNECT_ATTEMPTS"] = "30",
    };

    private readonly ITestOutputHelper _output;

    private FailoverCluster(LocalClusterRunner runner, Scenario scenario, ITestOutputHelper output)
    {
        Runner = runner;
        Scenario = scenario;
        _output = output;
    }

    public LocalClusterRunner Runner { get; }

    /// <summary>The scenario the nodes load (the same configuration layers), for the load generator and the audit.</summary>
    public Scenario Scenario { get; }

    public string Connection => Runner.ConnectionString;

    public LocalPostgresServer Postgres => Runner.Postgres!;

    public static async Task<FailoverCluster> StartAsync(ITestOutputHelper output, int nodes = 3)
    {
        // The nodes run `node --scenario crash --accounts 40`; the generator and the audit load the very same directory.
        var scenario = ScenarioLoader.Load(new ScenarioOverrides { Scenario = "crash", Accounts = Population });
        var runner = await LocalClusterRunner.StartAsync(new LocalClusterOptions
        {
            Nodes = nodes,
            DataDirectory = null,
            DurablePostgres = false,
            ShardCount = ShardCount,
            Executable = CrossMarginDll.Find(),
            NodeEnvironment = NodeEnvironment,
            NodeArguments = ["--scenario", "crash", "--accounts", Population.ToString(CultureInfo.InvariantCulture)],
            StopGrace = TimeSpan.FromSeconds(15),
            IdleInTransactionTimeout = TimeSpan.FromSeconds(2),
        }, CancellationToken.None);
        var cluster = new FailoverCluster(runner, scenario, output);
        output.WriteLine($"cluster: {ClusterStatusReader.Describe(runner.ConnectionString)}, nodes {string.Join(", ", runner.Nodes.Select(n => $"{n.Name} pid {n.Pid}"))}, logs {runner.LogDirectory}");
        return cluster;
    }

    public Task<ClusterStatus> StatusAsync() => ClusterStatusReader.ReadAsync(Connection, FailureTimeout, CancellationToken.None);

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds; fails with <paramref name="what"/> and the last status after <paramref name="bound"/>.</summary>
    public async Task<TimeSpan> WaitUntilAsync(string what, TimeSpan bound, Func<ClusterStatus, bool> condition)
    {
        var started = Stopwatch.GetTimestamp();
        ClusterStatus? last = null;
        Exception? lastError = null;
        while (Stopwatch.GetElapsedTime(started) < bound)
        {
            try
            {
                last = await StatusAsync();
                if (condition(last))
                {
                    return Stopwatch.GetElapsedTime(started);
                }
            }
            catch (Exception e) when (e is CrossMargin.Cluster.Operations.ClusterOperationException)
            {
                lastError = e; // tables not created yet, or PostgreSQL restarting
            }

            // Polling a condition on the database: the wait itself, bounded above.
            await Task.Delay(100);
        }

        var snapshot = last is null ? $"no status ({lastError?.Message})" : ClusterStatusJson.Write(last);
        throw new Xunit.Sdk.XunitException($"timed out after {bound.TotalSeconds:0}s waiting for {what}; last status: {snapshot}\nsessions:\n{await SessionsAsync()}\n{NodeLogTails()}");
    }

    /// <summary>Every node up, every shard and feed singleton owned by a live member.</summary>
    public Task<TimeSpan> WaitForSteadyStateAsync(int nodes) =>
        WaitUntilAsync($"{nodes} nodes up owning all {ShardCount} shards and the feed singletons", TimeSpan.FromSeconds(90), s =>
            s.Members.Count(m => m.State == MemberStatus.Up) == nodes
            && s.Shards.Count == ShardCount && s.Unowned.Count == 0
            && s.Shards.All(l => s.Members.Any(m => m.State == MemberStatus.Up && l.HeldBy(m)))
            && Scenario.FeedSymbols.All(f => s.Singletons.Any(l => l.Resource == global::CrossMargin.Cluster.Sharding.ClusterResources.Feed(f) && l.Live)));

    /// <summary>Starts the load generator in process against the cluster's inboxes.</summary>
    public async Task<LoadRun> StartLoadAsync(LoadGenOptions options)
    {
        var store = await ClusterStore.OpenAsync(new ClusterStoreOptions(Connection) { ShardCount = ShardCount });
        var inbox = new ClusterInbox(store, TimeSpan.FromMilliseconds(200));
        var generator = new ClusterLoadGenerator(inbox, ShardCount, Scenario, options);
        var progress = new ProgressProbe();
        var run = Task.Run(() => generator.RunAsync(progress, CancellationToken.None));
        return new LoadRun(store, inbox, run, progress);
    }

    public async Task<ClusterJournalAudit.Result> AuditAsync(IReadOnlyList<AcknowledgedCommand> acknowledged)
    {
        // The last reply does not end the cascade (rounds waiting on cooldowns, a new coordinator re-sending its last
        // round after a takeover): audit once the cluster is quiet, as `cluster loadgen --verify` does.
        var quiet = await ClusterQuiescence.WaitAsync(Connection, ClusterQuiescence.DefaultQuietFor, TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.True(quiet is not null, "the cluster did not go quiet within 60 s of the run's last reply");
        return await ClusterJournalAudit.RunAsync(Connection, Scenario, acknowledged, CancellationToken.None);
    }

    /// <summary>The server's client sessions (state, what they wait on, transaction age, query): shows a frozen node's locks.</summary>
    public async Task<string> SessionsAsync()
    {
        try
        {
            await using var data = Npgsql.NpgsqlDataSource.Create(Connection);
            await using var command = data.CreateCommand(
                "SELECT pid, state, coalesce(wait_event_type, '') || ':' || coalesce(wait_event, ''), coalesce(now() - xact_start, interval '0'), left(query, 140) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY xact_start NULLS LAST");
            await using var reader = await command.ExecuteReaderAsync();
            var lines = new List<string>();
            while (await reader.ReadAsync())
            {
                lines.Add($"  {reader.GetInt32(0)} {(reader.IsDBNull(1) ? "-" : reader.GetString(1))} wait {reader.GetString(2)} xact {reader.GetFieldValue<TimeSpan>(3).TotalSeconds:0.0}s: {(reader.IsDBNull(4) ? "" : reader.GetString(4))}");
            }

            return string.Join("\n", lines);
        }
        catch (Npgsql.NpgsqlException e)
        {
            return "  (cannot list sessions: " + e.Message + ")";
        }
    }

    public string NodeLogTails(int lines = 25) =>
        string.Join("\n", Runner.Nodes.Select(n => $"--- {n.Name} (pid {n.Pid}, {(n.HasExited ? $"exited {n.ExitCode}" : "running")}) {n.LogPath}:\n"
            + string.Join("\n", n.ReadLog().Split('\n').TakeLast(lines))));

    public async ValueTask DisposeAsync()
    {
        var codes = await Runner.StopAsync();
        _output.WriteLine("node exit codes: " + string.Join(", ", codes.Select(kv => $"{kv.Key}={kv.Value?.ToString(CultureInfo.InvariantCulture) ?? "killed"}")));
        _output.WriteLine(NodeLogTails(60));
        KeepLogs();
        await Runner.DisposeAsync();
    }

    /// <summary>
    /// Copies the nodes' logs (console and JSON) to a fresh folder under <c>CROSSMARGIN_FAILOVER_LOGS</c> when that is
    /// set, before the runner deletes its temporary folder: the test output has only the logs' tails.
    /// </summary>
    private void KeepLogs()
    {
        if (Environment.GetEnvironmentVariable("CROSSMARGIN_FAILOVER_LOGS") is not { Length: > 0 } keep || !Directory.Exists(Runner.LogDirectory))
        {
            return;
        }

        var target = Path.Combine(keep, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Path.GetFileName(Runner.Root)}"));
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(Runner.LogDirectory))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        if (Runner.Postgres?.LogFile is { } serverLog && File.Exists(serverLog))
        {
            File.Copy(serverLog, Path.Combine(target, "postgres.log"), overwrite: true);
        }

        _output.WriteLine($"node logs kept in {target}");
    }

    /// <summary>The load generator running in this process.</summary>
    internal sealed class LoadRun(ClusterStore store, ClusterInbox inbox, Task<LoadGenResult> run, ProgressProbe progress) : IAsyncDisposable
    {
        public Task<LoadGenResult> Completion => run;

        public ProgressProbe Progress => progress;

        public async Task<LoadGenResult> FinishAsync(TimeSpan bound)
        {
            var done = await Task.WhenAny(run, Task.Delay(bound));
            if (done != run)
            {
                throw new Xunit.Sdk.XunitException($"the load generator did not finish within {bound.TotalSeconds:0}s (last progress {progress.Latest})");
            }

            return await run;
        }

        public async ValueTask DisposeAsync()
        {
            await inbox.DisposeAsync();
            await store.DisposeAsync();
        }
    }

    /// <summary>Keeps the generator's latest progress and lets a test wait for a point of the run.</summary>
    internal sealed class ProgressProbe : IProgress<LoadGenProgress>
    {
        private readonly Lock _lock = new();
        private readonly List<(Func<LoadGenProgress, bool> Condition, TaskCompletionSource Done)> _waiters = [];

        public LoadGenProgress Latest { get; private set; }

        public void Report(LoadGenProgress value)
        {
            lock (_lock)
            {
                Latest = value;
                foreach (var w in _waiters.Where(w => w.Condition(value)).ToList())
                {
                    w.Done.TrySetResult();
                    _waiters.Remove(w);
                }
            }
        }

        /// <summary>Completes when a reported progress satisfies <paramref name="condition"/>; fails after <paramref name="bound"/>.</summary>
        public async Task WaitForAsync(string what, TimeSpan bound, Func<LoadGenProgress, bool> condition)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                if (condition(Latest))
                {
                    return;
                }

                _waiters.Add((condition, done));
            }

            if (await Task.WhenAny(done.Task, Task.Delay(bound)) != done.Task)
            {
                throw new Xunit.Sdk.XunitException($"timed out after {bound.TotalSeconds:0}s waiting for the load generator to reach {what} (last progress {Latest})");
            }
        }
    }
}
