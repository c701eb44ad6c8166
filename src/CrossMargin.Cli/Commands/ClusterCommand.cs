using System.CommandLine;
using System.Globalization;
using CrossMargin.Cli.Options;
using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Operations;
using CrossMargin.Cluster.Operations.LocalCluster;
using CrossMargin.Cluster.Operations.Status;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrossMargin.Cli.Commands;

/// <summary>
/// <c>crossmargin cluster status | up | loadgen</c>: operate a cluster of <c>crossmargin node</c> processes coordinated
/// through PostgreSQL (docs/cluster-operations.md).
/// </summary>
internal sealed partial class ClusterCommand
{
    /// <summary>Where <c>cluster up</c> keeps its data by default (and where status and loadgen look for its connection file).</summary>
    public const string DefaultDataDirectory = "./data/cluster";

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "Npgsql connection string of the cluster's database; default: crossmargin.cluster.connection / CROSSMARGIN_CLUSTER_CONNECTION, "
            + $"else the one `cluster up` saved in {DefaultDataDirectory}/{LocalClusterOptions.ConnectionFileName}",
        HelpName = "CONN",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "print the status as JSON (durations in milliseconds) instead of tables",
    };

    public Option<int> Nodes { get; } = new("--nodes")
    {
        Description = "node processes to start, 1..16",
        HelpName = "N",
        DefaultValueFactory = _ => 3,
        CustomParser = r => OptionParsing.IntInRange(r, 1, 16) ?? 1,
    };

    public Option<string?> Postgres { get; } = new("--postgres")
    {
        Description = "use this existing PostgreSQL (Npgsql connection string) instead of starting one from Debian's binaries under --data",
        HelpName = "CONN",
    };

    public Option<string> Data { get; } = new("--data")
    {
        Description = "folder for the local PostgreSQL's data, every process's log (logs/) and connection.txt",
        HelpName = "DIR",
        DefaultValueFactory = _ => DefaultDataDirectory,
    };

    public Option<int?> Shards { get; } = new("--shards")
    {
        Description = $"shard count given to every node (fixed for a journal), 1..{ClusterSettings.MaxShardCount:#,0}; default: the nodes' configuration (64)",
        HelpName = "N",
        CustomParser = r => OptionParsing.IntInRange(r, 1, ClusterSettings.MaxShardCount),
    };

    public Option<string> UpScenario { get; } = new("--scenario")
    {
        Description = "scenario the nodes load (market and account directory): a built-in name or a .conf file",
        HelpName = "NAME|FILE",
        DefaultValueFactory = _ => "crash",
        CustomParser = r => OptionParsing.Scenario(r)!,
    };

    public Option<int?> UpAccounts { get; } = new("--accounts")
    {
        Description = $"accounts in the nodes' directory (their --accounts), {OptionParsing.MinAccounts:#,0}..{OptionParsing.MaxAccounts:#,0}; default: the scenario's",
        HelpName = "N",
        CustomParser = r => OptionParsing.IntInRange(r, OptionParsing.MinAccounts, OptionParsing.MaxAccounts),
    };

    public Option<bool> WithLoadGen { get; } = new("--loadgen")
    {
        Description = "also start `cluster loadgen` (default options) once the nodes own every shard; its log goes to logs/loadgen.log",
    };

    /// <summary>Builds <c>cluster</c> and its subcommands; <paramref name="runner"/> runs their bodies.</summary>
    public Command Build(CommandRunner runner)
    {
        var status = new Command("status", "nodes (up / down by the database clock / leaving / left), heartbeat age, the shards each owns with their epochs, singleton owners")
        {
            Connection, Json,
        };
        status.SetAction((parse, ct) => runner.RunAsync(parse, "cluster status", inv => Guarded(inv, "cluster status", StatusAsync), ct));
        var up = new Command("up", "start PostgreSQL and N `crossmargin node` processes on this machine (the docker-compose topology without Docker); Ctrl-C stops them all")
        {
            Nodes, Postgres, Data, Shards, UpScenario, UpAccounts, WithLoadGen,
        };
        up.SetAction((parse, ct) => runner.RunAsync(parse, "cluster up", inv => Guarded(inv, "cluster up", UpAsync), ct));
        var loadgen = BuildLoadGen(runner);
        return new Command("cluster", "operate a cluster of engine nodes coordinated through PostgreSQL") { status, up, loadgen };
    }

    /// <summary>
    /// Runs a body; an operations failure (server unreachable, no cluster there, a process that cannot start) is one
    /// line on stderr and exit code 3, not a stack trace.
    /// </summary>
    private static async Task<int> Guarded(Invocation inv, string name, Func<Invocation, Task<int>> body)
    {
        try
        {
            return await body(inv).ConfigureAwait(false);
        }
        catch (ClusterOperationException e)
        {
            inv.Engine.Logger.Debug(e, "{Command} failed", name);
            inv.Console.Error.WriteLine($"{name}: {e.Message}");
            return ExitCodes.EngineFailure;
        }
    }

    private async Task<int> StatusAsync(Invocation inv)
    {
        var settings = Settings(inv);
        var connection = ResolveConnection(inv.Parse.GetValue(Connection), settings, DefaultDataDirectory);
        var status = await ClusterStatusReader.ReadAsync(connection, settings.FailureTimeout, inv.CancellationToken).ConfigureAwait(false);
        if (inv.Parse.GetValue(Json))
        {
            inv.Console.Line(ClusterStatusJson.Write(status));
        }
        else
        {
            inv.Console.Out.Write(StatusTables(status));
        }

        return ExitCodes.Success;
    }

    /// <summary>The cluster settings of the configuration (for the failure timeout and the configured connection).</summary>
    private static ClusterSettings Settings(Invocation inv)
    {
        try
        {
            return ClusterSettings.FromConfig(inv.Engine.Configuration.Config);
        }
        catch (ClusterConfigurationException e)
        {
            throw new CliInputException(e.Message, e);
        }
    }

    /// <summary>--connection, else the configured connection, else the file `cluster up` wrote under <paramref name="dataDirectory"/>.</summary>
    internal static string ResolveConnection(string? option, ClusterSettings settings, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return option;
        }

        if (!string.IsNullOrWhiteSpace(settings.Connection))
        {
            return settings.Connection;
        }

        var file = Path.Combine(dataDirectory, LocalClusterOptions.ConnectionFileName);
        if (File.Exists(file))
        {
            var text = File.ReadAllText(file).Trim();
            if (text.Length > 0)
            {
                return text;
            }
        }

        throw new CliInputException($"no cluster connection: give --connection, set {ClusterSettings.ConnectionVariable} (or crossmargin.cluster.connection), "
            + $"or start one with `crossmargin cluster up` (it writes {file})");
    }

    /// <summary>The status as Spectre tables: one row per node, then singletons, then a summary line.</summary>
    internal static IRenderable StatusTables(ClusterStatus status)
    {
        var nodes = new Table().Border(TableBorder.Rounded).Title($"cluster at {Markup.Escape(status.Target)}")
            .AddColumn("node").AddColumn("state").AddColumn(new TableColumn("heartbeat").RightAligned()).AddColumn(new TableColumn("shards").RightAligned())
            .AddColumn("shard@epoch").AddColumn("singletons");
        foreach (var m in status.Members)
        {
            var shards = status.ShardsOf(m);
            nodes.AddRow(
                new Text(m.Node),
                new Markup(StateMarkup(m.State)),
                new Text(m.State == MemberStatus.Left ? "-" : Age(m.HeartbeatAge)),
                new Text(shards.Count.ToString(CultureInfo.InvariantCulture)),
                new Text(shards.Count == 0 ? "-" : string.Join(' ', shards.Select(s => $"{s.Shard}@{s.Epoch}"))),
                new Text(string.Join(' ', status.SingletonsOf(m).Select(s => ShortSingleton(s.Resource))) is { Length: > 0 } t ? t : "-"));
        }

        var singletons = new Table().Border(TableBorder.Simple).AddColumn("singleton").AddColumn("owner").AddColumn(new TableColumn("epoch").RightAligned())
            .AddColumn(new TableColumn("expires in").RightAligned());
        foreach (var s in status.Singletons)
        {
            singletons.AddRow(Markup.Escape(s.Resource), Markup.Escape(s.Live ? s.Owner! : "(none)"), s.Epoch.ToString(CultureInfo.InvariantCulture),
                s.Live ? Age(s.ExpiresIn!.Value) : "-");
        }

        var unowned = status.Unowned;
        var live = status.Members.Count(m => m.State == MemberStatus.Up);
        var count = status.ShardCount is { } n ? n.ToString(CultureInfo.InvariantCulture) : "?";
        var unownedList = unowned.Count is > 0 and <= 16 ? " (" + string.Join(' ', unowned.Select(s => s.Shard)) + ")" : "";
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{live} of {status.Members.Count} nodes up; {count} shards, {status.Shards.Count - unowned.Count} owned, {unowned.Count} unowned{unownedList}; database clock {status.DatabaseNow.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; down = silent > {ClusterSettings.Show(status.FailureTimeout)}");
        var rows = new List<IRenderable> { nodes };
        if (status.Singletons.Count > 0)
        {
            rows.Add(singletons);
        }

        rows.Add(new Text(summary));
        return new Rows(rows);
    }

    private static string StateMarkup(MemberStatus state) => state switch
    {
        MemberStatus.Up => "[green]up[/]",
        MemberStatus.Down => "[red]down[/]",
        MemberStatus.Leaving => "[yellow]leaving[/]",
        _ => "[grey]left[/]",
    };

    private static string ShortSingleton(string resource) =>
        resource.StartsWith(CrossMargin.Cluster.Sharding.ClusterResources.SingletonPrefix, StringComparison.Ordinal)
            ? resource[CrossMargin.Cluster.Sharding.ClusterResources.SingletonPrefix.Length..]
            : resource;

    private static string Age(TimeSpan age) =>
        age.TotalSeconds < 10 ? age.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
        : age.TotalMinutes < 2 ? ((int)age.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
        : age.TotalHours < 2 ? ((int)age.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m"
        : ((int)age.TotalHours).ToString(CultureInfo.InvariantCulture) + "h";
}
