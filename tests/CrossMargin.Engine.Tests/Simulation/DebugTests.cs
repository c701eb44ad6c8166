using System.Diagnostics;
using CrossMargin.Risk.Bands;
using CrossMargin.Risk.Margin;
using Xunit;
using Xunit.Abstractions;

namespace CrossMargin.Engine.Tests.Simulation;

public sealed class DebugTests(ITestOutputHelper output)
{
    [Fact]
    public void Debug_timing()
    {
        var scenario = SimulationFixtures.Load("crash", 300, 42);
        var (r, runner, _) = SimulationFixtures.Run(scenario);
        var host = runner.LastHost!;
        var accts = host.Accounts().Where(a => a.HasPositions).Take(50).ToList();
        output.WriteLine($"positions: {string.Join(",", accts.Select(a => a.Account.Positions.Count))} modes {accts[0].Account.Mode}");
        var sw = Stopwatch.StartNew();
        for (var k = 0; k < 20; k++)
        foreach (var a in accts) RiskBands.Compute(a.Account, host.Model.Catalog, host.Prices, host.Model.Risk, a.State);
        output.WriteLine($"bands {sw.Elapsed.TotalMicroseconds / (20 * accts.Count)} us");
        sw.Restart();
        for (var k = 0; k < 20; k++)
        foreach (var a in accts) MarginEngine.Evaluate(a.Account, host.Model.Catalog, host.Prices, host.Model.Risk.Portfolio);
        output.WriteLine($"evaluate {sw.Elapsed.TotalMicroseconds / (20 * accts.Count)} us");
    }
}
