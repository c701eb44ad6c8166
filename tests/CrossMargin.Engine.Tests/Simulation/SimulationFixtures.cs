using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Engine.Simulation;
using CrossMargin.Hocon;
using CrossMargin.Persistence.InMemory;

namespace CrossMargin.Engine.Tests.Simulation;

/// <summary>Small runs of the built-in scenarios on an in-memory journal.</summary>
internal static class SimulationFixtures
{
    /// <summary>Loads hocon/scenarios/NAME.conf of this repository (found from this source file's path, since builds may live outside the tree).</summary>
    public static Scenario Load(string name, int accounts, ulong seed, CrossMargin.Risk.Model.MarginMode? mode = null, params ConfigOverride[] sets) =>
        ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides { Scenario = ScenarioFile(name), Accounts = accounts, Seed = seed, MarginMode = mode, Sets = sets });

    public static string ScenarioFile(string name, [System.Runtime.CompilerServices.CallerFilePath] string here = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(here)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrossMarginActors.sln")))
        {
            dir = dir.Parent;
        }

        var file = dir is null ? null : Path.Combine(dir.FullName, "hocon", "scenarios", name + ".conf");
        return file is not null && File.Exists(file) ? file : throw new FileNotFoundException($"scenario file hocon/scenarios/{name}.conf not found above {here}");
    }

    public static (SimulationReport Report, SimulationRunner Runner, InMemoryJournal Journal) Run(Scenario scenario, Action<SimulationRunner>? configure = null)
    {
        var runner = new SimulationRunner(ConfigurationFactory.Default());
        var journal = new InMemoryJournal(CrossMargin.Engine.Domain.EngineSerialization.Create());
        runner.SharedInMemoryJournal = journal;
        configure?.Invoke(runner);
        var report = runner.RunAsync(scenario, JournalTarget.InMemory, "test", null, CancellationToken.None).GetAwaiter().GetResult();
        return (report, runner, journal);
    }
}
