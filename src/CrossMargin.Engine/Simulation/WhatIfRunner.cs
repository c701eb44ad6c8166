using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Hocon;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// <c>crossmargin what-if</c>: re-executes a journaled run's recorded inputs with changed parameters into a fresh journal.
/// </summary>
/// <remarks>
/// The inputs are the recorded ones: the configuration text of <see cref="RunStarted"/> with the overrides layered on top,
/// the ticks the feeds journaled (<see cref="IndexTickReceived"/>, in journal order — never regenerated), and the seed
/// population the recorded configuration describes (the overrides cannot change who holds what: keys under
/// <c>crossmargin.engine.population</c> and <c>crossmargin.engine.seed</c> are refused). The baseline is the same
/// re-execution without overrides into an in-memory journal; its state hash is checked against the one recorded in
/// <see cref="RunCompleted"/> (invariant <c>baseline-reproduces-recording</c>), so the comparison is between two runs of
/// one engine. The source journal is only read. One call at a time per instance.
/// </remarks>
public sealed class WhatIfRunner : IWhatIfRunner
{
    private const string BaselineInvariant = "baseline-reproduces-recording";

    private static readonly string[] RefusedPrefixes = ["crossmargin.engine.population", "crossmargin.engine.seed"];

    /// <summary>Maps whose keys users name (a new instrument or asset): an override may add keys under them.</summary>
    private static readonly string[] OpenMaps =
    [
        "crossmargin.engine.instruments.", "crossmargin.engine.assets.", "crossmargin.engine.market-maker.deposits.", "crossmargin.scenario.",
    ];

    private readonly Serilog.ILogger? _log;

    /// <summary>Creates the runner.</summary>
    /// <param name="log">Logger handed to both re-executions; null for none.</param>
    public WhatIfRunner(Serilog.ILogger? log = null)
    {
        _log = log;
    }

    /// <summary>The state hash the baseline re-execution reached in the last run (tests compare it with the recording).</summary>
    public string? LastBaselineStateHash { get; private set; }

    /// <summary>The state hash recorded in the source journal's <see cref="RunCompleted"/> in the last run; null if it has none.</summary>
    public string? LastRecordedStateHash { get; private set; }

    /// <summary>The state hash the changed re-execution reached in the last run.</summary>
    public string? LastChangedStateHash { get; private set; }

    /// <inheritdoc />
    public async Task<WhatIfResult> RunAsync(WhatIfRequest request, IProgress<SimulationProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TargetJournal == request.SourceJournal && request.SourceJournal.Kind != JournalKind.InMemory)
        {
            throw new RunInputException($"--into {request.TargetJournal}: the re-execution needs a fresh journal, not the source journal");
        }

        foreach (var o in request.Overrides)
        {
            if (RefusedPrefixes.Any(p => o.Path == p || o.Path.StartsWith(p + ".", StringComparison.Ordinal)))
            {
                throw new RunInputException($"--set {o}: {o.Path} cannot be changed by what-if: the recorded seed population and ticks are re-used as they were (run simulate for another population)");
            }
        }

        var recording = await ReadRecordingAsync(request.SourceJournal, request.RunId, cancellationToken).ConfigureAwait(false);
        var recordedConfig = Parse(recording.Started.Configuration, request.SourceJournal);
        foreach (var o in request.Overrides)
        {
            CheckKnown(recordedConfig, o);
        }

        var baselineScenario = ScenarioLoader.Load(recordedConfig, ScenarioOverrides.None);
        var changedScenario = ScenarioLoader.Load(recordedConfig, new ScenarioOverrides { Sets = request.Overrides });
        var ticks = new RecordedTickSource(recording.Ticks);
        baselineScenario = WithRecordedInputs(baselineScenario, baselineScenario.Population, ticks);
        changedScenario = WithRecordedInputs(changedScenario, baselineScenario.Population, ticks);

        var baselineRunner = new SimulationRunner(recordedConfig, _log);
        var baseline = await baselineRunner.RunAsync(baselineScenario, JournalTarget.InMemory, recording.Started.RunId, null, cancellationToken).ConfigureAwait(false);
        LastBaselineStateHash = baselineRunner.LastHost is { } bh ? StateHasher.Hash(bh) : null;
        LastRecordedStateHash = recording.Completed?.StateHash;
        baseline = baseline with
        {
            Journal = request.SourceJournal.ToString(),
            Invariants = [.. baseline.Invariants, BaselineCheck(recording.Completed, LastBaselineStateHash)],
        };

        var changedRunner = new SimulationRunner(recordedConfig, _log);
        var changed = await changedRunner.RunAsync(changedScenario, request.TargetJournal, $"{recording.Started.RunId}-whatif", progress, cancellationToken).ConfigureAwait(false);
        LastChangedStateHash = changedRunner.LastHost is { } ch ? StateHasher.Hash(ch) : null;
        return new WhatIfResult(baseline, changed);
    }

    /// <summary>
    /// The recorded configuration is fully resolved, so every key a run reads is present in it: an override of a key it
    /// lacks is a typo (<c>fee-rat</c>), except under the maps whose keys users name (instruments, assets, …).
    /// </summary>
    private static void CheckKnown(Config recorded, ConfigOverride o)
    {
        if (OpenMaps.Any(m => o.Path.StartsWith(m, StringComparison.Ordinal)))
        {
            return;
        }

        bool known;
        try
        {
            known = recorded.HasPath(o.Path);
        }
        catch (HoconException e)
        {
            throw new RunInputException($"--set {o}: {e.Message}", e);
        }

        if (!known)
        {
            throw new RunInputException($"--set {o}: unknown key {o.Path}: the recorded run's configuration has no such key (see docs/scenarios.md and hocon/reference.conf for the keys)");
        }
    }

    private static Scenario WithRecordedInputs(Scenario scenario, Population population, RecordedTickSource ticks) =>
        scenario with { Population = population, CreateTickSource = () => ticks, TotalTicks = ticks.Count };

    private static InvariantResult BaselineCheck(RunCompleted? completed, string? hash) => completed switch
    {
        null => new InvariantResult(BaselineInvariant, true, "the recording has no RunCompleted (interrupted before the end); no state hash to compare"),
        _ when completed.StateHash == hash => new InvariantResult(BaselineInvariant, true, $"re-executing the recorded inputs reaches the recorded state hash {hash}"),
        _ => new InvariantResult(BaselineInvariant, false, $"re-executing the recorded inputs reaches state hash {hash}, the recording ended at {completed.StateHash}: this build does not reproduce the recorded run"),
    };

    private static Config Parse(string text, JournalTarget source)
    {
        try
        {
            return ConfigurationFactory.ParseString(text, "journal:RunStarted");
        }
        catch (HoconException e)
        {
            throw new RunInputException($"journal {source}: the configuration recorded in RunStarted does not parse: {e.Message}", e);
        }
    }

    private sealed record Recording(RunStarted Started, RunCompleted? Completed, IReadOnlyList<Tick> Ticks);

    /// <summary>Reads RunStarted / RunCompleted and every journaled tick; only queries, never appends.</summary>
    private static async Task<Recording> ReadRecordingAsync(JournalTarget source, string? runId, CancellationToken cancellationToken)
    {
        if (source.Kind == JournalKind.Sqlite && !File.Exists(source.Location))
        {
            throw new RunInputException($"--journal {source}: no such file");
        }

        if (source.Kind == JournalKind.InMemory)
        {
            throw new RunInputException($"--journal {source}: an in-memory journal holds no recorded run in a new process; what-if reads a sqlite: or postgres: journal");
        }

        await using var handle = await JournalHandle.OpenAsync(source, TimeProvider.System, cancellationToken, create: false).ConfigureAwait(false);
        RunStarted? started = null;
        RunCompleted? completed = null;
        var inRun = false;
        await foreach (var e in handle.Read.CurrentEventsByPersistenceId(EngineIds.Run, 1, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            switch (e.Event)
            {
                case RunStarted s when runId is null || s.RunId == runId:
                    (started, completed, inRun) = (s, null, true);
                    break;
                case RunStarted:
                    inRun = false;
                    break;
                case RunCompleted c when inRun:
                    (completed, inRun) = (c, false);
                    break;
            }
        }

        if (started is null)
        {
            throw new RunInputException(runId is null
                ? $"--journal {source} holds no run (no RunStarted event on persistence id '{EngineIds.Run}')"
                : $"--run {runId}: journal {source} holds no run with that id");
        }

        if (started.SchemaVersion != EngineSerialization.SchemaVersion)
        {
            throw new RunInputException($"--journal {source} was written with engine event schema {started.SchemaVersion}; this build reads schema {EngineSerialization.SchemaVersion}");
        }

        var ticks = new List<Tick>();
        await foreach (var env in handle.Read.CurrentAllEvents(0, cancellationToken).ConfigureAwait(false))
        {
            if (env.Event is IndexTickReceived t && env.PersistenceId.StartsWith("feed-", StringComparison.Ordinal))
            {
                ticks.Add(new Tick(env.PersistenceId["feed-".Length..], UnixTime.FromMicros(t.TimeMicros), t.Index));
            }
        }

        return new Recording(started, completed, ticks);
    }
}
