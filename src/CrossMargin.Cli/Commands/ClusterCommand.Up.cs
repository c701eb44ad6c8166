using System.Globalization;
using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Operations;
using CrossMargin.Cluster.Operations.LocalCluster;
using CrossMargin.Cluster.Operations.Processes;
using CrossMargin.Cluster.Operations.Status;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrossMargin.Cli.Commands;

/// <summary><c>crossmargin cluster up</c>: PostgreSQL plus N node processes on this machine, live status, Ctrl-C stops all.</summary>
internal sealed partial class ClusterCommand
{
    /// <summary>A SIGTERMed node's time to hand off; below the CLI's 30 s Ctrl-C allowance so PostgreSQL still stops cleanly after.</summary>
    private static readonly TimeSpan NodeStopGrace = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);

    private async Task<int> UpAsync(Invocation inv)
    {
        var settings = Settings(inv);
        var postgres = inv.Parse.GetValue(Postgres);
        var data = inv.Parse.GetValue(Data)!;
        var scenarioArguments = new List<string> { "--scenario", inv.Parse.GetValue(UpScenario)! };
        if (inv.Parse.GetValue(UpAccounts) is { } accounts)
        {
            scenarioArguments.AddRange(["--accounts", accounts.ToString(CultureInfo.InvariantCulture)]);
        }

        var options = new LocalClusterOptions
        {
            NodeArguments = scenarioArguments,
            Nodes = inv.Parse.GetValue(Nodes),
            Postgres = string.IsNullOrWhiteSpace(postgres) ? null : postgres,
            DataDirectory = data,
            ShardCount = inv.Parse.GetValue(Shards),
            StopGrace = NodeStopGrace,
        };
        inv.Console.Line(options.Postgres is null
            ? $"starting PostgreSQL from Debian's binaries (data {Path.Combine(data, "postgres")}) ..."
            : $"using PostgreSQL at {ClusterStatusReader.Describe(options.Postgres)}");
        await using var cluster = await LocalClusterRunner.StartAsync(options, inv.CancellationToken).ConfigureAwait(false);
        PrintWhere(inv, cluster);
        var loadgen = (ChildProcess?)null;
        var code = ExitCodes.Success;
        try
        {
            var loadgenArguments = inv.Parse.GetValue(WithLoadGen) ? LoadGenArguments(inv, cluster) : null;
            loadgen = await WatchAsync(inv, cluster, settings.FailureTimeout, loadgenArguments).ConfigureAwait(false);
            inv.Console.Error.WriteLine($"cluster up: every node exited; their logs are in {cluster.LogDirectory}");
            code = ExitCodes.EngineFailure;
        }
        catch (OperationCanceledException) when (inv.CancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: the normal way to end `cluster up`.
        }

        inv.Console.Line($"stopping: SIGTERM to {cluster.Nodes.Count(n => !n.HasExited)} nodes (each hands its shards off and marks itself left), then PostgreSQL ...");
        if (loadgen is not null)
        {
            await loadgen.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        var codes = await cluster.StopAsync().ConfigureAwait(false);
        foreach (var (node, exit) in codes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            inv.Console.Line(exit is { } c ? $"{node}: exited with code {c}" : $"{node}: did not stop within {NodeStopGrace.TotalSeconds:0}s; killed");
        }

        inv.Console.Line(cluster.Postgres is null ? "PostgreSQL: left running (it was given with --postgres)" : "PostgreSQL: stopped (data kept for the next `cluster up`)");
        return code;
    }

    /// <summary>`cluster loadgen` against the same scenario and directory as the nodes (at most 1,000 accounts driven).</summary>
    private List<string> LoadGenArguments(Invocation inv, LocalClusterRunner cluster)
    {
        var args = new List<string> { "cluster", "loadgen", "--scenario", inv.Parse.GetValue(UpScenario)!, "--acknowledged", Path.Combine(cluster.Root, "loadgen-acknowledged.txt") };
        if (inv.Parse.GetValue(UpAccounts) is { } accounts)
        {
            args.AddRange(["--population", accounts.ToString(CultureInfo.InvariantCulture), "--accounts", Math.Min(accounts, 1000).ToString(CultureInfo.InvariantCulture)]);
        }

        return args;
    }

    private static void PrintWhere(Invocation inv, LocalClusterRunner cluster)
    {
        if (cluster.Postgres is { LogFile: { } pgLog })
        {
            inv.Console.Line($"PostgreSQL: 127.0.0.1:{cluster.Postgres.Port.ToString(CultureInfo.InvariantCulture)}, log {pgLog}");
        }

        inv.Console.Line($"connection: {cluster.ConnectionString}");
        inv.Console.Line($"  (saved in {Path.Combine(cluster.Root, LocalClusterOptions.ConnectionFileName)}; `crossmargin cluster status` and `cluster loadgen` read it)");
        foreach (var n in cluster.Nodes)
        {
            inv.Console.Line($"{n.Name}: pid {n.Pid.ToString(CultureInfo.InvariantCulture)}, console log {n.LogPath}");
        }

        inv.Console.Line($"JSON logs: {cluster.LogDirectory}; command: {cluster.Executable.Describe(["node"])}");
        inv.Console.Line("Ctrl-C stops everything (nodes first, then PostgreSQL).");
    }

    /// <summary>Shows the status every second until cancelled; starts the load generator once every shard is owned when asked.</summary>
    private static async Task<ChildProcess?> WatchAsync(Invocation inv, LocalClusterRunner cluster, TimeSpan failureTimeout, IReadOnlyList<string>? loadgenArguments)
    {
        var watch = new UpWatch(inv, cluster, failureTimeout, loadgenArguments);
        if (inv.Console.Interactive)
        {
            await inv.Console.Out.Live(new Text("waiting for the nodes to join ...")).AutoClear(false).StartAsync(async ctx =>
            {
                while (!watch.AllNodesExited)
                {
                    ctx.UpdateTarget(await watch.StepAsync().ConfigureAwait(false));
                    await Task.Delay(StatusInterval, inv.CancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }
        else
        {
            while (!watch.AllNodesExited)
            {
                await watch.StepAsync().ConfigureAwait(false);
                await Task.Delay(StatusInterval, inv.CancellationToken).ConfigureAwait(false);
            }
        }

        return watch.LoadGen;
    }

    /// <summary>One round of `cluster up`'s watch: read the status, report exits and changes, maybe start the load generator.</summary>
    private sealed class UpWatch(Invocation inv, LocalClusterRunner cluster, TimeSpan failureTimeout, IReadOnlyList<string>? loadgenArguments)
    {
        private readonly HashSet<ChildProcess> _reportedExits = [];
        private string _lastLine = "";

        public ChildProcess? LoadGen { get; private set; }

        /// <summary>True once every node process has exited: nothing left to watch.</summary>
        public bool AllNodesExited => cluster.Nodes.All(n => n.HasExited);

        public async Task<IRenderable> StepAsync()
        {
            foreach (var n in cluster.Nodes.Where(n => n.HasExited && _reportedExits.Add(n)))
            {
                Plain($"{n.Name} exited with code {n.ExitCode.ToString(CultureInfo.InvariantCulture)}; its log: {n.LogPath}");
            }

            ClusterStatus status;
            try
            {
                status = await ClusterStatusReader.ReadAsync(cluster.ConnectionString, failureTimeout, inv.CancellationToken).ConfigureAwait(false);
            }
            catch (ClusterOperationException e)
            {
                Changed($"waiting: {e.Message}");
                return new Text($"waiting: {e.Message}");
            }

            if (loadgenArguments is not null && LoadGen is null && status.Shards.Count > 0 && status.Unowned.Count == 0)
            {
                LoadGen = cluster.StartCommand("loadgen", loadgenArguments);
                Plain($"loadgen: pid {LoadGen.Pid.ToString(CultureInfo.InvariantCulture)}, log {LoadGen.LogPath}");
            }

            var line = string.Join(", ", status.Members.Select(m => $"{m.Node} {m.State.ToString().ToLowerInvariant()}"
                + (m.State == MemberStatus.Left ? "" : $" {status.ShardsOf(m).Count.ToString(CultureInfo.InvariantCulture)} shards"))) + $"; {status.Unowned.Count.ToString(CultureInfo.InvariantCulture)} unowned";
            Changed(line);
            return StatusTables(status);
        }

        /// <summary>Prints <paramref name="line"/> (time-stamped) unless it is the same as the last one.</summary>
        private void Changed(string line)
        {
            if (!string.Equals(line, _lastLine, StringComparison.Ordinal))
            {
                _lastLine = line;
                Plain(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} {line}"));
            }
        }

        private void Plain(string text)
        {
            // On a terminal the live table shows the state; the plain lines are for logs and pipes.
            if (!inv.Console.Interactive)
            {
                inv.Console.Line(text);
            }
        }
    }
}
