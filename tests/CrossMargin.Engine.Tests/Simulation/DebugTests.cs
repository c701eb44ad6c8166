using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace CrossMargin.Engine.Tests.Simulation;

public sealed class DebugTests(ITestOutputHelper output)
{
    [Fact]
    public void Debug_timing()
    {
        var sw = Stopwatch.StartNew();
        var scenario = SimulationFixtures.Load("crash", 300, 42);
        output.WriteLine($"load {sw.ElapsedMilliseconds} ms");
        sw.Restart();
        var n = scenario.CreateTickSource().Ticks().Count();
        output.WriteLine($"ticks {n} in {sw.ElapsedMilliseconds} ms");
        sw.Restart();
        var (r, _, _) = SimulationFixtures.Run(scenario);
        output.WriteLine($"run {sw.ElapsedMilliseconds} ms, wall {r.WallTime}");
    }
}
