using System.CommandLine;
using CrossMargin.Cli.Options;
using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Node;
using CrossMargin.Cluster.Schema;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Persistence.Configuration;

namespace CrossMargin.Cli.Commands;

/// <summary>
/// <c>crossmargin node</c>: a long-running engine node of the cluster (docs/node.md). Runs until Ctrl-C or SIGTERM, then
/// hands its shards off and exits 0. Unreachable PostgreSQL, a shard-count mismatch or bad settings exit 2.
/// </summary>
internal sealed class NodeCommand
{
    public Option<string?> Name { get; } = new("--name")
    {
        Description = "this node's unique name (overrides crossmargin.cluster.node-name / CROSSMARGIN_NODE_NAME; default <hostname>-<pid>)",
        HelpName = "NAME",
    };

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "Npgsql connection string of the cluster's PostgreSQL, also the journal (overrides crossmargin.cluster.connection / CROSSMARGIN_CLUSTER_CONNECTION)",
        HelpName = "CONN",
    };

    public Option<int?> Shards { get; } = new("--shards")
    {
        Description = $"shard count, 1..{ClusterSettings.MaxShardCount}; fixed for a journal (overrides crossmargin.cluster.shard-count / CROSSMARGIN_SHARD_COUNT)",
        HelpName = "N",
        CustomParser = r => OptionParsing.IntInRange(r, 1, ClusterSettings.MaxShardCount),
    };

    public Option<string> Scenario { get; } = new("--scenario")
    {
        Description = "scenario defining the market and the account directory; every node and the load generator must use the same one",
        HelpName = "NAME|FILE",
        DefaultValueFactory = _ => "crash",
        CustomParser = r => OptionParsing.Scenario(r)!,
    };

    public Option<int?> Accounts { get; } = new("--accounts")
    {
        Description = $"number of trading accounts of the scenario's directory, {OptionParsing.MinAccounts:#,0}..{OptionParsing.MaxAccounts:#,0} (default: the scenario's); must match the load generator's",
        HelpName = "N",
        CustomParser = r => OptionParsing.IntInRange(r, OptionParsing.MinAccounts, OptionParsing.MaxAccounts),
    };

    /// <summary>Builds the command; <paramref name="runner"/> runs its body.</summary>
    public Command Build(CommandRunner runner)
    {
        var command = new Command("node", "run an engine node of the cluster: owns shards of accounts through PostgreSQL leases until Ctrl-C / SIGTERM")
        {
            Name, Connection, Shards, Scenario, Accounts,
        };
        command.SetAction((parse, ct) => runner.RunAsync(parse, "node", RunAsync, ct));
        return command;
    }

    private async Task<int> RunAsync(Invocation inv)
    {
        var config = inv.Engine.Configuration.Config;
        ClusterSettings settings;
        try
        {
            settings = ClusterSettings.FromConfig(config);
            settings = (settings with
            {
                NodeName = inv.Parse.GetValue(Name) is { Length: > 0 } name ? name : settings.NodeName,
                Connection = inv.Parse.GetValue(Connection) is { Length: > 0 } connection ? connection : settings.Connection,
                ShardCount = inv.Parse.GetValue(Shards) ?? settings.ShardCount,
            }).Validate();
        }
        catch (ClusterConfigurationException e)
        {
            throw new CliInputException(e.Message, e);
        }

        if (string.IsNullOrWhiteSpace(settings.Connection))
        {
            throw new CliInputException($"no cluster database: pass --connection CONN or set {ClusterSettings.Section}.connection / {ClusterSettings.ConnectionVariable}");
        }

        var scenario = ScenarioLoader.Load(config, new ScenarioOverrides { Scenario = inv.Parse.GetValue(Scenario), Accounts = inv.Parse.GetValue(Accounts) });
        var persistence = PersistenceSettings.FromConfig(config);
        var options = new NodeOptions(settings, scenario) { Persistence = persistence, SnapshotEvery = persistence.SnapshotInterval };
        EngineNode node;
        try
        {
            node = await EngineNode.StartAsync(options, inv.Engine.Logger, inv.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ClusterUnreachableException or ShardCountMismatchException or ArgumentException)
        {
            inv.Console.Error.WriteLine($"node: {e.Message}");
            return ExitCodes.BadInput;
        }

        await using (node.ConfigureAwait(false))
        {
            inv.Console.Line($"node {node.Name} ready: incarnation {node.Incarnation}, {node.ShardCount} shards, scenario {scenario.Name} ({scenario.Population.Count} accounts), database {node.Target}; owned shards are in cm_cluster_leases (crossmargin cluster status)");
            try
            {
                await Task.Delay(Timeout.Infinite, inv.CancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: hand off and leave.
            }

            inv.Console.Line($"node {node.Name} stopping: handing off shards {string.Join(",", node.HostedShards)}");
            await node.StopAsync(CancellationToken.None).ConfigureAwait(false);
            inv.Console.Line($"node {node.Name} stopped");
        }

        return ExitCodes.Success;
    }
}
