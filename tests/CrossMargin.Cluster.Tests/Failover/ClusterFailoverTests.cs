using System.Diagnostics;
using System.Globalization;
using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Operations.LoadGen;
using CrossMargin.Cluster.Operations.Processes;
using CrossMargin.Cluster.Operations.Status;
using Xunit.Abstractions;

namespace CrossMargin.Cluster.Tests.Failover;

/// <summary>
/// Failover with real processes: PostgreSQL and three <c>crossmargin node</c> processes on 127.0.0.1, driven by the load
/// generator through the inboxes, then a fault (kill -9, SIGSTOP past the lease, PostgreSQL restart). After each the run
/// must finish and the journal audit must hold: no acknowledged command lost, none applied twice, money conserved, long
/// OI = short OI, contiguous sequence numbers, writer epochs never going back. Waits poll conditions with generous
/// bounds; the measured takeover times are written to the test output (and appended to the file named by
/// CROSSMARGIN_FAILOVER_TIMES when set).
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    /// <summary>Generous bound on a takeover in CI (the target on an idle machine is 10 s).</summary>
    private static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(120);

    private static LoadGenOptions Load(int seconds) => new()
    {
        Accounts = FailoverCluster.Population,
        Duration = TimeSpan.FromSeconds(seconds),
        TickRate = 10,
        CommandsPerTick = 3,
        // A falling index: the run is a cascade (margin calls, liquidations, bankruptcies settled through the waterfall)
        // while the fault hits, and the audit requires every loss assigned.
        Drop = 0.1m,
        ReplyTimeout = TimeSpan.FromSeconds(90),
        MaxInFlight = 256,
    };

    [Fact]
    public async Task Killed_node_should_have_its_shards_owned_elsewhere_and_the_run_should_finish_with_nothing_lost()
    {
        await using var cluster = await FailoverCluster.StartAsync(output);
        output.WriteLine($"steady after {(await cluster.WaitForSteadyStateAsync(3)).TotalSeconds:0.0}s");
        await using var load = await cluster.StartLoadAsync(Load(6));
        await load.Progress.WaitForAsync("the drive phase", RunBound, p => p.Phase == "drive" && p.Acknowledged > 0);

        var (victim, shards) = await BusiestNodeAsync(cluster);
        Assert.True(cluster.Runner.Node(victim).Signal(PosixSignals.Kill), $"{victim} was already gone");
        var killedAt = Stopwatch.GetTimestamp();
        output.WriteLine($"kill -9 {victim} (owned shards {string.Join(' ', shards)})");
        await cluster.WaitUntilAsync($"{victim}'s shards owned by another live node", TakeoverBound, s => OwnedElsewhere(s, victim, shards));
        var takeover = Stopwatch.GetElapsedTime(killedAt);
        Record("kill -9", takeover);
        Assert.True(takeover < TakeoverBound, $"takeover took {takeover.TotalSeconds:0.0}s");

        var result = await load.FinishAsync(RunBound);
        await AssertRunCompleteAsync(cluster, result);
    }

    [Fact]
    public async Task Paused_node_should_lose_its_shards_and_have_its_late_writes_refused_after_it_resumes()
    {
        await using var cluster = await FailoverCluster.StartAsync(output);
        await cluster.WaitForSteadyStateAsync(3);
        await using var load = await cluster.StartLoadAsync(Load(8));
        await load.Progress.WaitForAsync("the drive phase", RunBound, p => p.Phase == "drive" && p.Acknowledged > 0);

        var (victim, shards) = await BusiestNodeAsync(cluster);
        var node = cluster.Runner.Node(victim);
        Assert.True(node.Signal(PosixSignals.Stop), $"{victim} was already gone");
        var stoppedAt = Stopwatch.GetTimestamp();
        output.WriteLine($"SIGSTOP {victim} (owned shards {string.Join(' ', shards)})");
        await cluster.WaitUntilAsync($"{victim} down and its shards taken over", TakeoverBound, s =>
            s.Members.Any(m => m.Node == victim && m.State == MemberStatus.Down) && OwnedElsewhere(s, victim, shards));
        Record("SIGSTOP", Stopwatch.GetElapsedTime(stoppedAt));
        var before = load.Progress.Latest.Acknowledged;

        // The others move on under new epochs while the paused node still believes it owns its shards.
        await load.Progress.WaitForAsync("more acknowledgements under the new owners", RunBound, p => p.Acknowledged > before + 10);
        Assert.True(node.Signal(PosixSignals.Continue), $"{victim} vanished while paused");
        output.WriteLine($"SIGCONT {victim}");

        // Resumed: its renewals fail (the epochs moved on), so it must notice the loss and stop the stale shards; a write
        // it still attempts with the old epoch is refused by the fence (and the audit below finds no stale-epoch row
        // after a newer one in any stream).
        await WaitForLogAsync(node, "a lost lease or a fenced write", TakeoverBound,
            log => log.Contains("lost", StringComparison.OrdinalIgnoreCase) || log.Contains("fenced", StringComparison.OrdinalIgnoreCase));
        var result = await load.FinishAsync(RunBound);
        await AssertRunCompleteAsync(cluster, result);
        var final = await cluster.StatusAsync();
        output.WriteLine($"after the run: {victim} is {final.Members.First(m => m.Node == victim).State}, owns {final.Members.Where(m => m.Node == victim).Sum(m => final.ShardsOf(m).Count)} shards (new epochs only)");
        Assert.All(shards, n => Assert.True(final.Shards.First(l => l.Shard == n).Epoch > _epochsBefore[n], $"shard {n} still at the paused node's epoch"));
    }

    private static async Task WaitForLogAsync(ChildProcess node, string what, TimeSpan bound, Func<string, bool> condition)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < bound)
        {
            if (condition(node.ReadLog()) || node.HasExited)
            {
                return;
            }

            // Polling the node's log file for the line, bounded above.
            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"{node.Name} did not log {what} within {bound.TotalSeconds:0}s:\n{string.Join('\n', node.ReadLog().Split('\n').TakeLast(40))}");
    }

    [Fact]
    public async Task Nodes_should_reconnect_and_go_on_after_postgres_restarts_during_a_run()
    {
        await using var cluster = await FailoverCluster.StartAsync(output);
        await cluster.WaitForSteadyStateAsync(3);
        await using var load = await cluster.StartLoadAsync(Load(6));
        await load.Progress.WaitForAsync("the drive phase", RunBound, p => p.Phase == "drive" && p.Acknowledged > 0);

        var restart = Stopwatch.GetTimestamp();
        await cluster.Postgres.RestartAsync(immediate: false);
        output.WriteLine($"PostgreSQL restarted in {Stopwatch.GetElapsedTime(restart).TotalSeconds:0.0}s");
        var back = await cluster.WaitUntilAsync("3 nodes up owning every shard after the restart", TakeoverBound, s =>
            s.Members.Count(m => m.State == MemberStatus.Up) == 3 && s.Unowned.Count == 0);
        Record("PostgreSQL restart (back to steady)", Stopwatch.GetElapsedTime(restart));
        output.WriteLine($"steady again {back.TotalSeconds:0.0}s after the server was back");

        var result = await load.FinishAsync(RunBound);
        Assert.All(cluster.Runner.Nodes, n => Assert.False(n.HasExited, $"{n.Name} exited ({(n.HasExited ? n.ExitCode : 0)}) after the restart"));
        await AssertRunCompleteAsync(cluster, result);
    }

    private static bool OwnedElsewhere(ClusterStatus s, string victim, IReadOnlyCollection<int> shards) =>
        shards.All(n => s.Shards.FirstOrDefault(l => l.Shard == n) is { Live: true } l && l.Owner != victim
            && s.Members.Any(m => m.State == MemberStatus.Up && l.HeldBy(m)));

    private readonly Dictionary<int, long> _epochsBefore = [];

    private async Task<(string Node, IReadOnlyList<int> Shards)> BusiestNodeAsync(FailoverCluster cluster)
    {
        var status = await cluster.StatusAsync();
        var busiest = status.Members.Where(m => m.State == MemberStatus.Up).OrderByDescending(m => status.ShardsOf(m).Count).ThenBy(m => m.Node, StringComparer.Ordinal).First();
        var shards = status.ShardsOf(busiest);
        foreach (var l in shards)
        {
            _epochsBefore[l.Shard!.Value] = l.Epoch;
        }

        Assert.NotEmpty(shards);
        return (busiest.Node, shards.Select(l => l.Shard!.Value).ToList());
    }

    private async Task AssertRunCompleteAsync(FailoverCluster cluster, LoadGenResult result)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loadgen: seeded {result.SeededAccounts}, seed commands {result.SeedCommands}, drive sent {result.Sent}, acknowledged {result.Acknowledged.Count}, refused {result.Refused}, unanswered {result.Unanswered}, {result.DrivePerSecond:0.0}/s, p99 {result.LatencyMs.P99:0}ms"));
        foreach (var r in result.RefusalSamples)
        {
            output.WriteLine("refused: " + r);
        }

        Assert.True(result.Unanswered == 0, $"{result.Unanswered} commands got no reply: the run did not finish\n{cluster.NodeLogTails()}");
        Assert.True(result.Refused == 0, $"{result.Refused} commands were refused: {string.Join("; ", result.RefusalSamples)}");
        var audit = await cluster.AuditAsync(result.Acknowledged);
        output.WriteLine($"audit ({audit.Events} events, {audit.PersistenceIds} streams):\n{audit.Describe()}");
        Assert.True(audit.AllHeld, audit.Describe());
    }

    private void Record(string fault, TimeSpan took)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} takeover after {fault}: {took.TotalSeconds:0.00} s");
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("CROSSMARGIN_FAILOVER_TIMES") is { Length: > 0 } file)
        {
            File.AppendAllLines(file, [line]);
        }
    }
}

/// <summary>The failover tests run one at a time (each starts PostgreSQL and three nodes; two at once would starve a 2-core machine).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FailoverCollection
{
    public const string Name = "failover";
}
