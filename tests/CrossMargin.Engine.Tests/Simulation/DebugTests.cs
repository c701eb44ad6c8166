using System.Diagnostics;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Simulation;
using CrossMargin.Hocon;
using Xunit;
using Xunit.Abstractions;

namespace CrossMargin.Engine.Tests.Simulation;

public sealed class DebugTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Debug_timing()
    {
        var n = int.Parse(Environment.GetEnvironmentVariable("DBG_N") ?? "2000");
        var scenario = SimulationFixtures.Load("crash", n, 42);
        var path = $"/tmp/engrun/dbg-{n}.db";
        foreach (var f in Directory.GetFiles("/tmp/engrun", $"dbg-{n}.db*")) File.Delete(f);
        var runner = new SimulationRunner(ConfigurationFactory.Default());
        var sw = Stopwatch.StartNew();
        var r = await runner.RunAsync(scenario, new JournalTarget(JournalKind.Sqlite, path), "dbg", null, CancellationToken.None);
        output.WriteLine($"run {sw.ElapsedMilliseconds} ms, events {r.Events}, liq {r.Liquidations.Count}, rounds {r.CascadeRounds}, peak {r.PeakMemoryBytes / 1048576} MiB, invariants {string.Join(",", r.Invariants.Select(i => i.Name + "=" + i.Passed))}");
    }
}
