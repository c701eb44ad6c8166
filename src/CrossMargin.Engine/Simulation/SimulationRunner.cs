using System.Diagnostics;
using System.Globalization;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Hocon;
using CrossMargin.Persistence.InMemory;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// <c>crossmargin simulate</c>: loads the scenario, seeds the population, feeds every tick through the deterministic
/// engine, journals everything, checks the invariants, records the journal hash in <see cref="RunCompleted"/> and
/// returns the report. One call at a time.
/// </summary>
public sealed class SimulationRunner : ISimulationRunner
{
    private readonly Config _config;
    private readonly Serilog.ILogger? _log;
    private TimeSpan _seeded;

    /// <summary>Creates the runner over the resolved application configuration.</summary>
    /// <param name="config">reference.conf ← application file ← overrides, resolved.</param>
    /// <param name="log">Logger for liquidations and bankruptcies; null for none.</param>
    public SimulationRunner(Config config, Serilog.ILogger? log = null)
    {
        _config = config;
        _log = log;
    }

    /// <summary>An in-memory journal to use for <see cref="JournalKind.InMemory"/> targets (tests read it back); null creates one per run.</summary>
    public InMemoryJournal? SharedInMemoryJournal { get; set; }

    /// <summary>The host of the last run (tests inspect it).</summary>
    public EngineHost? LastHost { get; private set; }

    /// <summary>When true every account re-margins on every tick (differential reference; slow).</summary>
    public bool RemarginEveryAccount { get; set; }

    /// <summary>When set, every risk-state transition is recorded into the host (differential tests).</summary>
    public bool RecordTransitions { get; set; }

    /// <inheritdoc />
    public async Task<SimulationReport> RunAsync(SimulationRequest request, IProgress<SimulationProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scenario = ScenarioLoader.Load(_config, ScenarioOverrides.FromRequest(request));
        // --engine actors (issue 5 actor shells): the same scenario on the actor engine; see docs/engine.md "Actor engine".
        if (request.Engine == EngineKind.Actors)
        {
            return await Actors.ActorSimulation.RunAsync(scenario, request.Journal, request.RunId, progress, _log, SharedInMemoryJournal, cancellationToken).ConfigureAwait(false);
        }

        return await RunAsync(scenario, request.Journal, request.RunId, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs an already loaded <paramref name="scenario"/> into <paramref name="target"/>.</summary>
    public async Task<SimulationReport> RunAsync(Scenario scenario, JournalTarget target, string runId, IProgress<SimulationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(target);
        var wall = Stopwatch.StartNew();
        var clock = new SimulationClock(scenario.StartTime);
        await using var handle = await JournalHandle.OpenAsync(target, clock, cancellationToken, SharedInMemoryJournal, scenario.Journal.BatchSize).ConfigureAwait(false);
        if (!await handle.IsEmptyAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new RunInputException($"journal {target} already holds events; simulate writes a fresh journal and never appends to or rewrites a recorded run (choose another --journal or delete the file)");
        }

        var writer = new JournalWriter(handle.Journal, handle.Serializer, $"sim-{scenario.Seed.ToString("x16", CultureInfo.InvariantCulture)}", scenario.Journal.BatchSize);
        var report = await Task.Run(() => Run(scenario, writer, clock, runId, target, progress, wall, cancellationToken), CancellationToken.None).ConfigureAwait(false);
        var ran = wall.Elapsed;
        var verified = await JournalVerifier.VerifyAsync(handle.Read, handle.Serializer, typeof(RunCompleted), CancellationToken.None).ConfigureAwait(false);
        var invariants = report.Invariants.ToList();
        invariants.Add(verified.Sequences);
        if (verified.Hash != report.JournalHash)
        {
            invariants.Add(new InvariantResult("journal-hash", false, $"journal read back hashes to {verified.Hash}, the writer hashed {report.JournalHash}"));
        }

        wall.Stop();
        _log?.Information("simulate {RunId}: seeded in {Seeded}, ran and journaled in {Ran}, journal verified in {Verified} ({Events} events)",
            runId, _seeded, ran, wall.Elapsed - ran, verified.Events);
        return SimulationReportBuilder.WithMeasurements(report with { Invariants = invariants }, wall.Elapsed);
    }

    private SimulationReport Run(Scenario scenario, JournalWriter writer, SimulationClock clock, string runId, JournalTarget target,
        IProgress<SimulationProgress>? progress, Stopwatch wall, CancellationToken cancellationToken)
    {
        writer.Append(EngineIds.Run, new RunStarted(runId, scenario.Name, scenario.Seed, SimulationReportBuilder.ModeName(scenario.MarginMode), scenario.Population.Count,
            scenario.ConfigText, EngineSerialization.SchemaVersion));
        var host = new EngineHost(scenario, writer, clock, _log) { RemarginEveryAccount = RemarginEveryAccount };
        if (RecordTransitions)
        {
            host.Transitions = [];
        }

        LastHost = host;
        host.Seed();
        host.RegisterAll();
        _seeded = wall.Elapsed;
        var before = MarginRatioHistogram.Build(host.MarginInputs());
        var partial = false;
        DateTimeOffset? first = null;
        var lastReport = wall.Elapsed;
        foreach (var tick in scenario.CreateTickSource().Ticks())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                partial = true;
                break;
            }

            first ??= tick.Time;
            host.OnTick(tick);
            if (progress is not null && wall.Elapsed - lastReport > TimeSpan.FromMilliseconds(200))
            {
                lastReport = wall.Elapsed;
                progress.Report(Progress(host, writer, scenario));
            }
        }
        var after = MarginRatioHistogram.Build(host.MarginInputs());
        var invariants = Invariants.Check(host);
        var stateHash = StateHasher.Hash(host);
        var journalHash = writer.CurrentHash();
        var events = writer.Events;
        writer.Append(EngineIds.Run, new RunCompleted(journalHash, events, stateHash, partial));
        writer.Complete();
        progress?.Report(Progress(host, writer, scenario));
        return SimulationReportBuilder.Build(new RunOutcome(scenario, target, host.Metrics, partial, first, host.Now, host.Coordinator.InsuranceFund,
            writer.Events, journalHash, invariants, before, after));
    }

    private static SimulationProgress Progress(EngineHost host, JournalWriter writer, Scenario scenario) =>
        new(host.Now, host.Metrics.Ticks, scenario.TotalTicks, writer.Events, host.Metrics.MarginCalls, host.Metrics.Liquidations,
            host.Metrics.LiquidationNotional, host.Coordinator.InsuranceFund, host.Coordinator.Depth);
}
